"""The one door for changing API tokens: create and revoke, each checked and audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.api.events import TokenEvents
from liuhen.api.models import ApiToken
from liuhen.api.perms import TokenPerms
from liuhen.api.tokens import new_token, token_hash
from liuhen.core import access, audit
from liuhen.devices.tokens import token_device

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.accounts.models import User


@dataclass(frozen=True)
class IssuedToken:
    """A newly made token. ``plaintext`` exists only here: show it once, then it is gone."""

    token: ApiToken
    plaintext: str


@dataclass(frozen=True)
class _TokenFor:
    """What the ``token.manage_own`` rule looks at before the token exists."""

    user_id: int | None


def _acting_user(actor: Any) -> User | None:
    return actor if getattr(actor, "is_authenticated", False) else None


def create_token(
    actor: Any,
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
    if (user is None) == (not device_serial):
        raise ValidationError(_("A token belongs to an account or to a device, not both."))
    if not name:
        raise ValidationError(_("Give the token a name."))
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError(_("The expiry time must be in the future."))
    # The ``liuhen token`` command runs as the system: whoever runs it has the server.
    if device_serial:
        access.require(actor, TokenPerms.MANAGE, None, request=request)
        # R13.1: only a registered collection station or terminal in service gets one.
        device_serial = token_device(device_serial).serial
    else:
        owner = _TokenFor(user_id=getattr(user, "pk", None))
        access.require(actor, TokenPerms.MANAGE_OWN, owner, request=request)
    if user is not None and not user.is_active:
        raise ValidationError(_("This account is disabled."))

    plaintext, prefix = new_token()
    while ApiToken.objects.filter(prefix=prefix).exists():
        plaintext, prefix = new_token()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            device_serial=device_serial,
            name=name,
            prefix=prefix,
            token_hash=token_hash(plaintext),
            created_by=_acting_user(actor),
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


def revoke_token(actor: Any, token: ApiToken, *, request: HttpRequest | None = None) -> ApiToken:
    """Revoke ``token`` now; the next request that presents it is refused.

    Owners revoke their own tokens; the system admin revokes any (``token.manage``).
    Revoking a revoked token changes nothing and writes no second event.
    """
    if not access.is_system(actor) and not access.can(actor, TokenPerms.MANAGE_OWN, token):
        access.require(actor, TokenPerms.MANAGE, token, request=request)
    with transaction.atomic():
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
