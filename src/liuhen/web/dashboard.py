"""What each role sees first: real counts from the database, each through the access policy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from liuhen.accounts.models import ADMIN_ROLES, Role, Unit, User
from liuhen.cases.models import Case, Stage
from liuhen.cases.perms import CasePerms
from liuhen.core import access
from liuhen.core.models import AuditEvent, Outcome, TreeHead
from liuhen.core.perms import AuditLogPerms


@dataclass(frozen=True)
class Stat:
    key: str
    label: str | Promise
    value: int | str


def stats_for(user: Any) -> list[Stat]:
    stats: list[Stat] = []
    if access.can(user, CasePerms.LIST):
        stats += _case_stats(user)
    if user.has_role(Role.SYSTEM_ADMIN):
        stats += _system_admin_stats(user)
    if user.has_role(Role.SECURITY_ADMIN):
        stats += _security_admin_stats(user)
    if access.can(user, AuditLogPerms.VIEW):
        stats += _audit_stats(user)
    return stats


def _case_stats(user: Any) -> list[Stat]:
    cases = access.visible(user, Case.objects.all())
    open_cases = cases.filter(closed_at__isnull=True)
    return [
        Stat("cases-visible", _("Cases I can see"), cases.count()),
        Stat("cases-open", _("Open cases"), open_cases.count()),
        Stat(
            "cases-mine", _("Open cases assigned to me"), open_cases.filter(officers=user).count()
        ),
        Stat(
            "cases-investigation",
            _("Cases under investigation"),
            open_cases.filter(stage=Stage.INVESTIGATION).count(),
        ),
    ]


def _system_admin_stats(user: Any) -> list[Stat]:
    users = access.visible(user, User.objects.all())
    units = access.visible(user, Unit.objects.filter(active=True))
    return [
        Stat("accounts-active", _("Active accounts"), users.filter(is_active=True).count()),
        Stat("accounts-disabled", _("Disabled accounts"), users.filter(is_active=False).count()),
        Stat("units", _("Units"), units.count()),
    ]


def _security_admin_stats(user: Any) -> list[Stat]:
    now = timezone.now()
    users = access.visible(user, User.objects.all())
    return [
        Stat("accounts-locked", _("Locked accounts"), users.filter(locked_until__gt=now).count()),
        Stat(
            "admins",
            _("Administrator accounts"),
            users.filter(role_grants__role__in=ADMIN_ROLES).distinct().count(),
        ),
        Stat(
            "accounts-without-2fa",
            _("Active accounts without two-factor authentication"),
            users.filter(is_active=True).exclude(totpdevice__confirmed=True).count(),
        ),
    ]


def _audit_stats(user: Any) -> list[Stat]:
    events = access.visible(user, AuditEvent.objects.all())
    since = timezone.now() - dt.timedelta(hours=24)
    head = access.visible(user, TreeHead.objects.all()).first()
    return [
        Stat("audit-events", _("Audit events"), events.count()),
        Stat(
            "audit-denied-24h",
            _("Denied attempts in the last 24 hours"),
            events.filter(outcome=Outcome.DENIED, time__gte=since).count(),
        ),
        Stat(
            "audit-signed-size",
            _("Events covered by the latest signed tree head"),
            head.tree_size if head else 0,
        ),
    ]


def role_labels(user: Any) -> list[str]:
    return [str(Role(role).label) for role in sorted(user.roles)]


def context_for(user: Any) -> dict[str, Any]:
    return {"stats": stats_for(user), "role_labels": role_labels(user)}
