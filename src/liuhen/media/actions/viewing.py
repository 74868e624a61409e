"""Retrieval of AV records (R21.1, R21.2, R14.1): looking at a record, playing it,
downloading it — each access-checked and written to the audit log.

One viewing is one audit event, however many Range requests the player sends while
seeking: opening the record page writes ``media.view`` and returns a short-lived signed
viewing token (:mod:`liuhen.media.playback.tokens`) for the player's URL. Play requests
carrying a valid token are checked for access but not audited again; a play request
without one is audited as ``media.play`` each time. Each download is audited.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.db import transaction

from liuhen.accounts.models import User
from liuhen.core import access, audit
from liuhen.media.events import MediaEvents
from liuhen.media.models import AvRecord
from liuhen.media.perms import MediaPerms
from liuhen.media.playback.tokens import refuse_disposed, token_is_valid, viewing_token

if TYPE_CHECKING:
    from django.http import HttpRequest


def view_record(user: User, record: AvRecord, *, request: HttpRequest | None = None) -> str:
    """Open the record page: check, audit one viewing, return the viewing token."""
    access.require(user, MediaPerms.VIEW, record, request=request)
    with transaction.atomic(durable=True):
        audit.record(
            MediaEvents.VIEW,
            actor=user,
            request=request,
            obj=record,
            details=access.used_grant(user, MediaPerms.VIEW, record),
        )
    return viewing_token(user, record)


def play(user: User, record: AvRecord, token: str, *, request: HttpRequest | None = None) -> bool:
    """Check one play request; audit it unless it belongs to an audited viewing.

    Returns whether it was audited now. Raises :class:`RecordDisposed` after the
    access check for a disposed record.
    """
    access.require(user, MediaPerms.PLAY, record, request=request)
    refuse_disposed(record)
    if token_is_valid(token, user, record):
        return False
    with transaction.atomic(durable=True):
        audit.record(
            MediaEvents.PLAY,
            actor=user,
            request=request,
            obj=record,
            details={
                **_range_details(request),
                **access.used_grant(user, MediaPerms.PLAY, record),
            },
        )
    return True


def download(user: User, record: AvRecord, *, request: HttpRequest | None = None) -> str:
    """Check and audit one download (R14.1: copies need permission and are logged).

    A download that only a grant (调阅, R21.1) allows gets an id of its own, logged with the
    grant and returned for the file's name, so a copy found later names its download.
    Raises :class:`RecordDisposed` after the access check for a disposed record.
    """
    access.require(user, MediaPerms.DOWNLOAD, record, request=request)
    refuse_disposed(record)
    grant = access.used_grant(user, MediaPerms.DOWNLOAD, record)
    download_id = secrets.token_hex(6) if grant else ""
    with transaction.atomic(durable=True):
        audit.record(
            MediaEvents.DOWNLOAD,
            actor=user,
            request=request,
            obj=record,
            details={
                "name": record.original_name,
                "sha256": record.blob_id,
                **_range_details(request),
                **grant,
                **({"download_id": download_id} if download_id else {}),
            },
        )
    return download_id


def _range_details(request: HttpRequest | None) -> dict[str, str]:
    wanted = request.headers.get("Range", "") if request is not None else ""
    return {"range": wanted[:100]} if wanted else {}
