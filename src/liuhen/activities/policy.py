"""Who records and reads enforcement activities (R4.2, R5.2): the case's officers.

Registered by ``ActivitiesConfig.ready()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from liuhen.accounts.models import Role
from liuhen.accounts.policy import BUREAU_WIDE_CASE_READERS, case_roles_only, same_unit
from liuhen.activities.perms import ActivityPerms, AvExemptionPerms
from liuhen.cases.policy import may_change_case, may_read_case, visible_cases

if TYPE_CHECKING:
    from liuhen.accounts.models import User


def _takes_part(user: User, activity: Any) -> bool:
    return activity.recorded_by_id == user.pk or activity.presences.filter(officer=user).exists()


def _activity_unit_reach(user: User, activity: Any) -> bool:
    """An activity outside a case (a patrol, R3.1): its unit, its officers, its recorder."""
    if _takes_part(user, activity):
        return True
    if user.has_role(*BUREAU_WIDE_CASE_READERS):
        return True
    return same_unit(user, activity)


def _activity_record(user: User, case: Any) -> bool:
    """Whoever may change the case records its activities; outside a case, any officer."""
    if case is not None:
        return may_change_case(user, case)
    return not user.is_admin_role and user.has_role(Role.OFFICER) and user.unit_id is not None


def _activity_view(user: User, activity: Any) -> bool:
    if activity is None or not case_roles_only(user):
        return False
    if activity.case_id is not None:
        return may_read_case(user, activity.case)
    return _activity_unit_reach(user, activity)


def _av_exemption_request(user: User, activity: Any) -> bool:
    # An officer who works the activity asks (R5.2); the approval chain decides (the rule
    # approval_chain_av_exemption: the unit head of the case's or the activity's unit).
    if activity is None or user.is_admin_role or not user.has_role(Role.OFFICER):
        return False
    if activity.case_id is not None:
        return may_change_case(user, activity.case)
    return _takes_part(user, activity)


def _activity_scope(user: User, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if not case_roles_only(user):
        return qs.none()
    cases = visible_cases(user).values("pk")
    outside = models.Q(case__isnull=True) & (
        models.Q(recorded_by=user) | models.Q(presences__officer=user)
    )
    if user.has_role(*BUREAU_WIDE_CASE_READERS):
        outside = models.Q(case__isnull=True)
    elif user.unit_id is not None:
        outside |= models.Q(case__isnull=True, unit_id=user.unit_id)
    reached = qs.model.objects.filter(models.Q(case__in=cases) | outside).values("pk")
    return qs.filter(pk__in=reached)


RULES = {
    ActivityPerms.RECORD: _activity_record,
    ActivityPerms.VIEW: _activity_view,
    AvExemptionPerms.REQUEST: _av_exemption_request,
}

SCOPES = {"activities.activity": _activity_scope}
