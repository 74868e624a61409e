"""The one door of the API's own records: tokens made and revoked (each checked and
audited), a presented token refused (audited) and a token's use noted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.accounts.models import User
from liuhen.api.events import ApiEvents, TokenEvents
from liuhen.api.models import ApiToken
from liuhen.api.perms import TokenPerms
from liuhen.api.tokens import new_token, parse_prefix, token_hash
from liuhen.core import access, audit
from liuhen.core.models import Outcome
from liuhen.devices.tokens import token_device

if TYPE_CHECKING:
    from django.http import HttpRequest


@dataclass(frozen=True)
class IssuedToken:
    """A newly made token. ``plaintext`` exists only here: show it once, then it is gone."""

    token: ApiToken
    plaintext: str


@dataclass(frozen=True)
class _TokenFor:
    """What the ``token.manage_own`` rule looks at before the token exists."""

    user_id: int | None


def create_token(
    actor: User | audit.Actor,
    *,
    user: User | None = None,
    device_serial: str = "",
    name: str,
    expires_at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> IssuedToken:
    """Make a token for ``user`` or for the device ``device_serial``.

    A person makes tokens for themselves only (``token.manage_own``). Not even the system
    admin may mint one for somebody else: it would let them act as an officer and read
    case data, which 三员 separation forbids. Device tokens need ``token.manage``.
    """
    device_serial = device_serial.strip()
    name = name.strip()
    # The ``liuhen token`` command runs as the system: whoever runs it has the server.
    if device_serial:
        access.require(actor, TokenPerms.MANAGE, None, request=request)
    else:
        owner = _TokenFor(user_id=user.pk if user is not None else None)
        access.require(actor, TokenPerms.MANAGE_OWN, owner, request=request)
    if (user is None) == (not device_serial):
        raise ValidationError(_("A token belongs to an account or to a device, not both."))
    if not name:
        raise ValidationError(_("Give the token a name."))
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError(_("The expiry time must be in the future."))
    if device_serial:
        # R13.1: only a enrolled collection station or terminal in service gets one.
        device_serial = token_device(device_serial).serial
    if user is not None and not user.is_active:
        raise ValidationError(_("This account is disabled."))

    plaintext, prefix = new_token()
    while ApiToken.objects.filter(prefix=prefix).exists():
        plaintext, prefix = new_token()
    with transaction.atomic(durable=True):
        token = ApiToken.objects.create(
            user=user,
            device_serial=device_serial,
            name=name,
            prefix=prefix,
            token_hash=token_hash(plaintext),
            created_by=actor if isinstance(actor, User) else None,
            expires_at=expires_at,
        )
        audit.record(
            TokenEvents.CREATE,
            actor=actor,
            request=request,
            obj=token,
            details={
                "prefix": prefix,
                "name": name,
                "user": user.get_username() if user is not None else None,
                "device_serial": device_serial or None,
                "expires_at": expires_at.isoformat() if expires_at else None,
            },
        )
    return IssuedToken(token=token, plaintext=plaintext)


def _revoke_tokens_of(user: User) -> int:
    """The account is disabled (or enabled again): each of its live tokens is revoked,
    so that enabling it later does not bring an old token back. Called inside the account
    action's transaction, whose audit event counts them; returns how many."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def revoke_token(
    actor: User | audit.Actor, token: ApiToken, *, request: HttpRequest | None = None
) -> ApiToken:
    """Revoke ``token`` now; the next request that presents it is refused.

    Owners revoke their own tokens; the system admin revokes any (``token.revoke``).
    Revoking a revoked token changes nothing and writes no second event.
    """
    access.require(actor, TokenPerms.REVOKE, token, request=request)
    with transaction.atomic(durable=True):
        # Re-read under the write lock so two revocations cannot both record an event.
        current = ApiToken.objects.select_for_update().get(pk=token.pk)
        if current.revoked_at is not None:
            return current
        current.revoked_at = timezone.now()
        current.save(update_fields=["revoked_at"])
        audit.record(
            TokenEvents.REVOKE,
            actor=actor,
            request=request,
            obj=current,
            details={"prefix": current.prefix, "name": current.name},
        )
    return current


def refuse_token(request: HttpRequest, presented: str, token: ApiToken | None) -> None:
    """A presented token is unknown, revoked, expired or its account disabled: audited
    (R4.2), never with the token itself — its prefix, if well formed, and why."""
    reason = "unknown"
    if token is not None:
        if token.revoked_at is not None:
            reason = "revoked"
        elif not token.is_usable():
            reason = "expired"
        else:
            reason = "account_disabled"
    details: dict[str, Any] = {"prefix": parse_prefix(presented.strip()), "reason": reason}
    with transaction.atomic(durable=True):
        audit.record(
            ApiEvents.AUTH_FAILED,
            actor=AnonymousUser(),
            request=request,
            obj=token,
            outcome=Outcome.DENIED,
            details=details,
        )


def note_use(token: ApiToken, now: dt.datetime) -> None:
    """Remember when ``token`` was last used (shown in the token list)."""
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
