"""Roles (R4.1, 三员分立): granted and revoked by the security admin, never to oneself."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from liuhen.accounts.events import RoleEvents
from liuhen.accounts.models import ADMIN_ROLES, Role, RoleGrant, User
from liuhen.accounts.perms import RolePerms
from liuhen.core import access, audit

if TYPE_CHECKING:
    from django.http import HttpRequest


def check_separation(roles: Iterable[str]) -> None:
    """三员分立: refuse a set of roles holding two of the three administrator roles."""
    if len(set(roles) & ADMIN_ROLES) > 1:
        raise ValidationError(
            _(
                "An account may hold only one of the three administrator roles "
                "(system, security, audit)."
            ),
            code="separation_of_duties",
        )


def grant_role(
    actor: User | audit.Actor, user: User, role: str, *, request: HttpRequest | None = None
) -> RoleGrant:
    access.require(actor, RolePerms.GRANT, user, request=request)
    if role not in Role.values:
        raise ValidationError(_("Unknown role."), code="invalid")
    with transaction.atomic(durable=True):
        # Lock the account so two concurrent grants cannot both pass the 三员 check.
        User.objects.select_for_update().filter(pk=user.pk).first()
        current = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
        if role in current:
            raise ValidationError(_("The account holds this role already."), code="duplicate")
        check_separation(current | {role})
        grant = RoleGrant.objects.create(user=user, role=role)
        user.__dict__.pop("_roles_cache", None)
        audit.record(
            RoleEvents.GRANT, actor=actor, request=request, obj=user, details={"role": role}
        )
    return grant


def revoke_role(
    actor: User | audit.Actor, user: User, role: str, *, request: HttpRequest | None = None
) -> None:
    access.require(actor, RolePerms.GRANT, user, request=request)
    with transaction.atomic(durable=True):
        deleted, _kinds = RoleGrant.objects.filter(user=user, role=role).delete()
        if not deleted:
            raise ValidationError(_("The account does not hold this role."), code="missing")
        user.__dict__.pop("_roles_cache", None)
        audit.record(
            RoleEvents.REVOKE, actor=actor, request=request, obj=user, details={"role": role}
        )
