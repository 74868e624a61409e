"""Who may do what to accounts, units and the system's own records, and the role
predicates every other app's policy is written in (R4.1, R21.2, 三员分立).

The audit log and the configuration are core's records, but roles are this app's: the
rules for them live here. Registered by ``AccountsConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import models

from liuhen.accounts.models import Role
from liuhen.accounts.perms import AccountPerms, RolePerms, SecurityPerms, UnitPerms
from liuhen.core.perms import AuditLogPerms, ConfigPerms

if TYPE_CHECKING:
    from liuhen.accounts.models import User

Scope = Callable[["User", models.QuerySet[Any]], models.QuerySet[Any]]

# Roles that see cases bureau-wide (reading, not changing).
BUREAU_WIDE_CASE_READERS = (
    Role.AGENCY_HEAD,
    Role.LEGAL_REVIEWER,
    Role.SUPERVISOR,
    Role.ARCHIVIST,
)
CASE_ROLES = (Role.OFFICER, Role.UNIT_HEAD, Role.CUSTODIAN, *BUREAU_WIDE_CASE_READERS)


def case_roles_only(user: User) -> bool:
    """R21.2 and 三员 separation: an admin-role account never reads case data."""
    return not user.is_admin_role and user.has_role(*CASE_ROLES)


def same_unit(user: User, obj: Any) -> bool:
    return user.unit_id is not None and getattr(obj, "unit_id", None) == user.unit_id


def works_in_unit(user: User, unit_id: Any) -> bool:
    """An officer or unit head of ``unit_id`` (not an admin role)."""
    return (
        not user.is_admin_role
        and user.has_role(Role.OFFICER, Role.UNIT_HEAD)
        and user.unit_id is not None
        and user.unit_id == unit_id
    )


def enforces(user: User) -> bool:
    """An officer or a unit head, who enters what enforcement finds."""
    return not user.is_admin_role and user.has_role(Role.OFFICER, Role.UNIT_HEAD)


# --- audit log (R1.1): only the audit admin reads it -----------------------------


def _audit_admin(user: User, obj: Any) -> bool:
    # Signing a tree head attests the log; it changes no record (R1.1).
    return user.has_role(Role.AUDIT_ADMIN)


def _audit_scope(user: User, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return qs if user.has_role(Role.AUDIT_ADMIN) else qs.none()


# --- accounts: the system admin manages users and units; the security admin roles ---


def _system_admin(user: User, obj: Any) -> bool:
    return user.has_role(Role.SYSTEM_ADMIN)


def _security_admin(user: User, obj: Any) -> bool:
    return user.has_role(Role.SECURITY_ADMIN)


def _security_admin_on_others(user: User, obj: Any) -> bool:
    # Nobody changes their own roles or second factor: another person must (三员分立).
    return user.has_role(Role.SECURITY_ADMIN) and (obj is None or obj.pk != user.pk)


def _account_list(user: User, obj: Any) -> bool:
    return user.has_role(Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN)


def _account_view(user: User, obj: Any) -> bool:
    if user.has_role(Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN):
        return True
    return obj is not None and (obj.pk == user.pk or same_unit(user, obj))


def _account_scope(account: str) -> Scope:
    """Rows of an account (``account``: the path from the row to it, "" for the account
    itself): the system and security admins see all; others their own and their unit's."""
    prefix = f"{account}__" if account else ""

    def scope(user: User, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
        if user.has_role(Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN):
            return qs
        own = models.Q(**{f"{prefix}pk": user.pk})
        if user.unit_id is None:
            return qs.filter(own)
        return qs.filter(own | models.Q(**{f"{prefix}unit_id": user.unit_id}))

    return scope


def _configuration_scope(user: User, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    # The history of the legal rules' values is the system admin's, who changes them.
    return qs if user.has_role(Role.SYSTEM_ADMIN) else qs.none()


def _calendar_scope(user: User, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    # The holiday calendar is public knowledge every deadline is counted by.
    return qs


def _unit_scope(user: User, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    # The organisation chart is not confidential: every active account sees the units.
    return qs


RULES = {
    AuditLogPerms.VIEW: _audit_admin,
    AuditLogPerms.SIGN: _audit_admin,
    AccountPerms.MANAGE: _system_admin,
    UnitPerms.MANAGE: _system_admin,
    ConfigPerms.MANAGE: _system_admin,
    SecurityPerms.CONFIGURE: _security_admin,
    RolePerms.GRANT: _security_admin_on_others,
    AccountPerms.RESET_2FA: _security_admin_on_others,
    AccountPerms.LIST: _account_list,
    AccountPerms.VIEW: _account_view,
}

SCOPES = {
    "core.auditevent": _audit_scope,
    "core.treehead": _audit_scope,
    "accounts.user": _account_scope(""),
    "accounts.unit": _unit_scope,
    # A certificate is seen with its officer's account.
    "accounts.certificate": _account_scope("officer"),
    "core.ruleoverride": _configuration_scope,
    "core.calendarday": _calendar_scope,
    "core.calendaryear": _calendar_scope,
}
