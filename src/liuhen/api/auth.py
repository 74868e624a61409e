"""Bearer-token authentication for the API, for people and for devices.

Every request reads its token from the database, so a revocation takes effect on the
very next request (no cache to expire).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from liuhen.accounts.models import User
from liuhen.api import actions
from liuhen.api.errors import InvalidToken, use_client_language
from liuhen.api.models import ApiToken
from liuhen.api.tokens import token_hash
from liuhen.core import access, audit

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
            actions.refuse_token(request, token, found)
            raise InvalidToken()
        # Identity comes from the token alone, never from a browser session beside it.
        if found.is_device:
            request.auth_device = TokenDevice(found.device_serial, found.name)  # type: ignore[attr-defined]
            request.user = AnonymousUser()
        else:
            request.auth_device = None  # type: ignore[attr-defined]
            request.user = found.user  # type: ignore[assignment]
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_RESOLUTION:
            actions.note_use(found, now)
        return found


def _owner_active(token: ApiToken) -> bool:
    return token.is_device or bool(token.user is not None and token.user.is_active)


def caller(request: HttpRequest) -> User | audit.Actor:
    """Who an authenticated request acts as: the token's account, or the device of a
    device token (which the access policy knows only as an actor of the log)."""
    device = getattr(request, "auth_device", None)
    if device is not None:
        actor: audit.Actor = device.audit_actor()
        return actor
    if isinstance(request.user, User):
        return request.user
    return audit.Actor.of(request.user)


def person(request: HttpRequest, action: str) -> User:
    """The person acting, where only a person may act: a device token (or nobody) is
    refused as ``action`` (audited)."""
    if not isinstance(request.user, User):
        access.require(request.user, action, request=request)
        raise access.AccessDenied(action)  # a device or nobody is never allowed
    return request.user
