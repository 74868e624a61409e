"""Bearer-token authentication for the API, for people and for devices.

Every request reads its token from the database, so a revocation takes effect on the
very next request (no cache to expire).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from liuhen.api.errors import InvalidToken, use_client_language
from liuhen.api.events import ApiEvents
from liuhen.api.models import ApiToken
from liuhen.api.tokens import parse_prefix, token_hash
from liuhen.core import audit
from liuhen.core.models import Outcome

# Writing ``last_used_at`` on every call would make every read a write; once a minute is
# enough to tell a used token from a stale one.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class TokenDevice:
    """The device behind a device token; the audit log records it as the actor."""

    serial: str
    token_name: str

    def audit_actor(self) -> audit.Actor:
        return audit.Actor.device(self.serial)


class TokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> ApiToken | None:
        # Runs first for every endpoint, so error messages use the client's language.
        use_client_language(request)
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        found = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=token_hash(token.strip()))
            .first()
        )
        now = timezone.now()
        if found is None or not found.is_usable(now) or not _owner_active(found):
            _audit_failure(request, token, found)
            raise InvalidToken()
        # Identity comes from the token alone, never from a browser session beside it.
        if found.is_device:
            request.auth_device = TokenDevice(found.device_serial, found.name)  # type: ignore[attr-defined]
            request.user = AnonymousUser()
        else:
            request.auth_device = None  # type: ignore[attr-defined]
            request.user = found.user  # type: ignore[assignment]
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        return found


def _owner_active(token: ApiToken) -> bool:
    return token.is_device or bool(token.user is not None and token.user.is_active)


def _audit_failure(request: HttpRequest, presented: str, token: ApiToken | None) -> None:
    # Never the token itself in the log: its prefix (if well formed) and why it failed.
    reason = "unknown"
    if token is not None:
        if token.revoked_at is not None:
            reason = "revoked"
        elif not token.is_usable():
            reason = "expired"
        else:
            reason = "account_disabled"
    details: dict[str, Any] = {"prefix": parse_prefix(presented.strip()), "reason": reason}
    with transaction.atomic():
        audit.record(
            ApiEvents.AUTH_FAILED,
            actor=AnonymousUser(),
            request=request,
            obj=token,
            outcome=Outcome.DENIED,
            details=details,
        )
