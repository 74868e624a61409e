"""Retrieval of AV records (R21.1, R21.2, R14.1): looking at a record, playing it,
downloading it — each access-checked and written to the audit log.

One viewing is one audit event, however many Range requests the player sends while
seeking: rendering the record page writes ``media.view`` and puts a short-lived
signed *viewing token* (bound to the person and the record) in the player's URL.
Play requests carrying a valid token are checked for access but not audited again;
a play request without one (a link copied out of the page, a script) is audited as
``media.play`` each time. The token grants nothing: access is checked on every request.

Downloads (a copy leaves the system, R14.1) need ``media.download`` and each download
request is audited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core import signing
from django.db import transaction

from liuhen.core import access, audit
from liuhen.media.events import MediaEvents
from liuhen.media.models import AvDisposal, AvKind, AvRecord
from liuhen.media.perms import MediaPerms

if TYPE_CHECKING:
    from django.http import HttpRequest

_TOKEN_SALT = "liuhen.media.viewing"  # noqa: S105 - a namespace, not a secret
# Long enough to watch a long recording with pauses; the token only spares the audit
# log repeated events of one viewing, it never grants access.
VIEWING_TOKEN_MAX_AGE = 4 * 3600
# Types a browser shows itself; anything else (HTML, SVG, scripts) is never served
# inline from our origin — it could run as our pages.
_INLINE_PREFIXES = ("video/", "audio/", "image/")
_NEVER_INLINE = ("image/svg+xml",)


class RecordDisposed(Exception):
    """The record was disposed of after retention (R18.4): nothing left to play or copy."""

    def __init__(self, disposal: AvDisposal) -> None:
        super().__init__(disposal.record_id)
        self.disposal = disposal


def viewing_token(user: Any, record: AvRecord) -> str:
    return signing.dumps([user.pk, record.pk], salt=_TOKEN_SALT)


def token_is_valid(token: str, user: Any, record: AvRecord) -> bool:
    if not token:
        return False
    try:
        bound = signing.loads(token, salt=_TOKEN_SALT, max_age=VIEWING_TOKEN_MAX_AGE)
    except signing.BadSignature:  # also an expired one
        return False
    return bool(bound == [user.pk, record.pk])


def disposal_of(record: AvRecord) -> AvDisposal | None:
    """The record was disposed of after retention (R18.4): no longer played or copied."""
    return AvDisposal.objects.filter(record=record).first()


def playable(record: AvRecord) -> bool:
    """Shown in the browser: video, sound and pictures of a type a browser displays."""
    content_type = (record.content_type or "").lower()
    return (
        record.kind != AvKind.OTHER
        and content_type.startswith(_INLINE_PREFIXES)
        and content_type not in _NEVER_INLINE
    )


def view_record(user: Any, record: AvRecord, *, request: HttpRequest | None = None) -> str:
    """Open the record page: check, audit one viewing, return the viewing token."""
    access.require(user, MediaPerms.VIEW, record, request=request)
    with transaction.atomic():
        audit.record(MediaEvents.VIEW, actor=user, request=request, obj=record)
    return viewing_token(user, record)


def play(user: Any, record: AvRecord, token: str, *, request: HttpRequest | None = None) -> bool:
    """Check one play request; audit it unless it belongs to an audited viewing.

    Returns whether it was audited now. Raises :class:`RecordDisposed` after the
    access check for a disposed record.
    """
    access.require(user, MediaPerms.PLAY, record, request=request)
    _refuse_disposed(record)
    if token_is_valid(token, user, record):
        return False
    with transaction.atomic():
        audit.record(
            MediaEvents.PLAY,
            actor=user,
            request=request,
            obj=record,
            details=_range_details(request),
        )
    return True


def download(user: Any, record: AvRecord, *, request: HttpRequest | None = None) -> None:
    """Check and audit one download (R14.1: copies need permission and are logged).

    Raises :class:`RecordDisposed` after the access check for a disposed record.
    """
    access.require(user, MediaPerms.DOWNLOAD, record, request=request)
    _refuse_disposed(record)
    with transaction.atomic():
        audit.record(
            MediaEvents.DOWNLOAD,
            actor=user,
            request=request,
            obj=record,
            details={
                "name": record.original_name,
                "sha256": record.blob_id,
                **_range_details(request),
            },
        )


def _refuse_disposed(record: AvRecord) -> None:
    disposal = disposal_of(record)
    if disposal is not None:
        raise RecordDisposed(disposal)


def _range_details(request: HttpRequest | None) -> dict[str, str]:
    wanted = request.headers.get("Range", "") if request is not None else ""
    return {"range": wanted[:100]} if wanted else {}
