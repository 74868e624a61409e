"""Who may see and do what in supervision (R22.3): registered by ``SupervisionConfig.ready()``.

Supervisors plan and review spot checks; the agency head sees them and the coverage.
A reviewer never reviews footage they have a conflict of interest in (their own unit's,
their own recording, a case they work on).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from liuhen.accounts.models import Role
from liuhen.accounts.policy import case_roles_only
from liuhen.supervision.perms import CoveragePerms, SpotCheckPerms
from liuhen.supervision.spot_checks.conflict import has_conflict

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from liuhen.accounts.models import User


def is_supervisor(user: User) -> bool:
    return case_roles_only(user) and user.has_role(Role.SUPERVISOR)


def oversees(user: User) -> bool:
    """Supervisors and the agency head: they read supervision's records."""
    return case_roles_only(user) and user.has_role(Role.SUPERVISOR, Role.AGENCY_HEAD)


def _oversees(user: User, obj: Any) -> bool:
    return oversees(user)


def _plans(user: User, obj: Any) -> bool:
    return is_supervisor(user)


def _reviews(user: User, item: Any) -> bool:
    """A supervisor; for a sampled record, only one without a conflict of interest."""
    if not is_supervisor(user):
        return False
    return item is None or not has_conflict(user, item.record)


def _overseen(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs if oversees(user) else qs.none()


RULES = {
    CoveragePerms.VIEW: _oversees,
    SpotCheckPerms.VIEW: _oversees,
    SpotCheckPerms.PLAN: _plans,
    SpotCheckPerms.REVIEW: _reviews,
}

SCOPES = {
    "supervision.spotcheckplan": _overseen,
    "supervision.spotchecksample": _overseen,
    "supervision.spotcheckitem": _overseen,
    "supervision.spotcheckreview": _overseen,
}
