"""Who may open supervision's pages (R22.1). Registered by ``SupervisionConfig.ready()``.

The supervisor and the agency head see every unit; a unit head sees their own unit's
statistics; officers and the three administrators see none (三员 never read case data).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from liuhen.accounts.models import Role
from liuhen.accounts.policy import case_roles_only
from liuhen.supervision.perms import StatisticsPerms, SupervisionHomePerms

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from liuhen.accounts.models import User


def supervises_bureau(user: User) -> bool:
    """The supervisor or the agency head: bureau-wide supervision."""
    return case_roles_only(user) and user.has_role(Role.SUPERVISOR, Role.AGENCY_HEAD)


def _heads_own_unit(user: User) -> bool:
    return case_roles_only(user) and user.has_role(Role.UNIT_HEAD) and user.unit_id is not None


def _home(user: User, obj: Any) -> bool:
    return supervises_bureau(user)


def _statistics(user: User, obj: Any) -> bool:
    return supervises_bureau(user) or _heads_own_unit(user)


def _annual_report(user: User, obj: Any) -> bool:
    return supervises_bureau(user)


def _figures(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
    if supervises_bureau(user):
        return qs
    if _heads_own_unit(user):
        return qs.filter(unit_id=user.unit_id)
    return qs.none()


RULES = {
    SupervisionHomePerms.HOME: _home,
    StatisticsPerms.VIEW: _statistics,
    StatisticsPerms.EXPORT: _statistics,
    StatisticsPerms.ANNUAL_REPORT: _annual_report,
}

SCOPES = {
    "supervision.dailyfigure": _figures,
}
