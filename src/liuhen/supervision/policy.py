"""Who sees and acts on supervision's records (制度第二十二条、第二十三条).

The supervisors and the agency head oversee every unit; a unit head sees the findings and
rectification orders of their own unit, and the person an order names sees it and reports
on it. Accountability records and focused guidance are the supervisors' and the agency
head's only. Registered by ``SupervisionConfig.ready()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from liuhen.accounts.models import Role
from liuhen.accounts.policy import case_roles_only, enforces
from liuhen.supervision.models import (
    AccountabilityRecord,
    Finding,
    GuidanceEntry,
    RectificationEvidence,
    RectificationOrder,
)
from liuhen.supervision.perms import (
    AccountabilityPerms,
    FindingPerms,
    GuidancePerms,
    RectificationPerms,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from liuhen.accounts.models import User


def is_supervisor(user: User) -> bool:
    return case_roles_only(user) and user.has_role(Role.SUPERVISOR)


def oversees(user: User) -> bool:
    """A supervisor or the agency head: every unit's findings, orders and records."""
    return case_roles_only(user) and user.has_role(Role.SUPERVISOR, Role.AGENCY_HEAD)


def heads_unit(user: User, unit_id: Any) -> bool:
    return (
        case_roles_only(user)
        and user.has_role(Role.UNIT_HEAD)
        and user.unit_id is not None
        and user.unit_id == unit_id
    )


# --- findings ---------------------------------------------------------------------


def _finding_list(user: User, obj: Any) -> bool:
    return oversees(user) or (case_roles_only(user) and user.has_role(Role.UNIT_HEAD))


def _finding_view(user: User, obj: Any) -> bool:
    if oversees(user):
        return True
    return isinstance(obj, Finding) and heads_unit(user, obj.unit_id)


def _supervisor(user: User, obj: Any) -> bool:
    return is_supervisor(user)


def _findings(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
    if oversees(user):
        return qs
    if case_roles_only(user) and user.has_role(Role.UNIT_HEAD) and user.unit_id is not None:
        return qs.filter(unit_id=user.unit_id)
    return qs.none()


# --- rectification ----------------------------------------------------------------


def _order_list(user: User, obj: Any) -> bool:
    return oversees(user) or enforces(user)


def _order_of(obj: Any) -> RectificationOrder | None:
    if isinstance(obj, RectificationEvidence):
        return obj.report.order
    return obj if isinstance(obj, RectificationOrder) else None


def _responsible_for(user: User, obj: Any) -> bool:
    obj = _order_of(obj)
    if obj is None or not case_roles_only(user):
        return False
    return obj.responsible_id == user.pk or heads_unit(user, obj.unit_id)


def _order_view(user: User, obj: Any) -> bool:
    return oversees(user) or _responsible_for(user, obj)


def _orders(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
    if oversees(user):
        return qs
    if not enforces(user):
        return qs.none()
    if user.has_role(Role.UNIT_HEAD) and user.unit_id is not None:
        return qs.filter(unit_id=user.unit_id) | qs.filter(responsible_id=user.pk)
    return qs.filter(responsible_id=user.pk)


def _evidence(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
    orders = _orders(user, RectificationOrder.objects.all())
    return qs.filter(report__order__in=orders.values("pk"))


# --- accountability and guidance: the supervisors' and the agency head's ---------------


def _overseer(user: User, obj: Any) -> bool:
    return oversees(user)


def _overseen(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs if oversees(user) else qs.none()


RULES = {
    FindingPerms.LIST: _finding_list,
    FindingPerms.VIEW: _finding_view,
    FindingPerms.DISMISS: _supervisor,
    RectificationPerms.LIST: _order_list,
    RectificationPerms.VIEW: _order_view,
    RectificationPerms.ORDER: _supervisor,
    RectificationPerms.REPORT: _responsible_for,
    RectificationPerms.VERIFY: _supervisor,
    AccountabilityPerms.LIST: _overseer,
    AccountabilityPerms.VIEW: _overseer,
    AccountabilityPerms.RECORD: _supervisor,
    GuidancePerms.LIST: _overseer,
    GuidancePerms.MANAGE: _supervisor,
}

SCOPES = {
    Finding._meta.label_lower: _findings,
    RectificationOrder._meta.label_lower: _orders,
    RectificationEvidence._meta.label_lower: _evidence,
    AccountabilityRecord._meta.label_lower: _overseen,
    GuidanceEntry._meta.label_lower: _overseen,
}
