"""Who manages API tokens: everyone their own; the system admin, any (R4.2).

Registered by ``ApiConfig.ready()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from liuhen.accounts.models import Role
from liuhen.api.perms import TokenPerms

if TYPE_CHECKING:
    from liuhen.accounts.models import User


def _own_tokens(user: User, obj: Any) -> bool:
    return obj is None or getattr(obj, "user_id", None) == user.pk


def _any_token(user: User, obj: Any) -> bool:
    return user.has_role(Role.SYSTEM_ADMIN)


def _revoke_token(user: User, token: Any) -> bool:
    # The owner revokes their own; the system admin any (a lost tablet, a leaver).
    return _any_token(user, token) or (token is not None and _own_tokens(user, token))


def _token_scope(user: User, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    # Tokens are credentials: everyone sees their own; the system admin, who issues
    # device tokens and revokes any, sees all (prefixes only; secrets are never stored).
    return qs if user.has_role(Role.SYSTEM_ADMIN) else qs.filter(user_id=user.pk)


RULES = {
    TokenPerms.MANAGE_OWN: _own_tokens,
    TokenPerms.MANAGE: _any_token,
    TokenPerms.REVOKE: _revoke_token,
}

SCOPES = {"api.apitoken": _token_scope}
