"""Viewing tokens and what may be shown (R21.1, R14.1): the player's signed token, the
types a browser is given inline, and the refusal of a disposed record. The audited
retrievals — view, play, download — are ``media.actions.viewing``.

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

from typing import Any

from django.core import signing

from liuhen.media.models import AvDisposal, AvKind, AvRecord

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


def refuse_disposed(record: AvRecord) -> None:
    disposal = disposal_of(record)
    if disposal is not None:
        raise RecordDisposed(disposal)
