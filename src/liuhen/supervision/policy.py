"""Who may do what in supervision (R22): the access rules (``RULES``: permission →
``(user, obj) -> bool``) and scopes (``SCOPES``: model label → narrowing of a queryset),
one block per area. Registered by ``SupervisionConfig.ready()``.

Supervisors plan and review spot checks; the agency head sees them and the coverage.
A reviewer never reviews footage they have a conflict of interest in (their own unit's,
their own recording, a case they work on), nor scores a case file of their own unit's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from liuhen.accounts.models import Role
from liuhen.accounts.policy import case_roles_only, enforces
from liuhen.cases.policy import may_read_case
from liuhen.supervision.models import (
    AccountabilityRecord,
    Finding,
    GuidanceEntry,
    RectificationEvidence,
    RectificationOrder,
)
from liuhen.supervision.perms import (
    AccountabilityPerms,
    CaseReviewPerms,
    ComplaintPerms,
    CoveragePerms,
    FindingPerms,
    GuidancePerms,
    RectificationPerms,
    SpotCheckPerms,
    StatisticsPerms,
    SupervisionHomePerms,
)
from liuhen.supervision.spot_checks.conflict import has_conflict as has_footage_conflict

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from liuhen.accounts.models import User

RULES: dict[str, Callable[[Any, Any], bool]] = {}
SCOPES: dict[str, Callable[[Any, Any], Any]] = {}


def is_supervisor(user: User) -> bool:
    return case_roles_only(user) and user.has_role(Role.SUPERVISOR)


# --- complaint replay (R22.4) ---------------------------------------------------------
# Supervisors record complaints, link the footage and review it; the agency head reads
# the ledger. Nobody else sees a complaint: it names officers and a complainant.


def _complaint_reader(user: User, obj: Any = None) -> bool:
    return case_roles_only(user) and user.has_role(Role.SUPERVISOR, Role.AGENCY_HEAD)


def _supervisor(user: User, obj: Any = None) -> bool:
    return is_supervisor(user)


def _complaint_scope(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs if _complaint_reader(user) else qs.none()


RULES.update(
    {
        ComplaintPerms.LIST: _complaint_reader,
        ComplaintPerms.VIEW: _complaint_reader,
        ComplaintPerms.RECORD: _supervisor,
        ComplaintPerms.LINK: _supervisor,
        ComplaintPerms.REPLAY: _supervisor,
    }
)
SCOPES.update(
    {
        "supervision.complaint": _complaint_scope,
        "supervision.complaintfootage": _complaint_scope,
        "supervision.complaintreplay": _complaint_scope,
    }
)

# --- case-file review 案卷评查 (R22.2) --------------------------------------------------
# The supervisor plans and assigns; the reviewers are bureau-wide readers of cases, never
# for a case of their own unit or one they worked (conflict of interest); the agency head
# reads every result.

REVIEWER_ROLES = (Role.SUPERVISOR, Role.LEGAL_REVIEWER, Role.AGENCY_HEAD)


def may_review(user: User) -> bool:
    return case_roles_only(user) and user.has_role(*REVIEWER_ROLES)


def has_conflict(user: Any, case: Any) -> bool:
    """A reviewer's own unit's case, or one they worked, is not theirs to score."""
    if user.unit_id is not None and user.unit_id == case.unit_id:
        return True
    return case.officers.filter(pk=user.pk).exists()


def _sees_all_reviews(user: User) -> bool:
    return case_roles_only(user) and user.has_role(Role.SUPERVISOR, Role.AGENCY_HEAD)


def _review_list(user: User, obj: Any = None) -> bool:
    return may_review(user)


def _review_score(user: User, assignment: Any) -> bool:
    if assignment is None or not may_review(user) or assignment.reviewer_id != user.pk:
        return False
    return not has_conflict(user, assignment.case) and may_read_case(user, assignment.case)


def _plan_scope(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs if may_review(user) else qs.none()


def _assignment_scope(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
    if _sees_all_reviews(user):
        return qs
    return qs.filter(reviewer=user) if may_review(user) else qs.none()


def _review_scope(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
    if _sees_all_reviews(user):
        return qs
    return qs.filter(by=user) if may_review(user) else qs.none()


RULES.update(
    {
        CaseReviewPerms.LIST: _review_list,
        CaseReviewPerms.PLAN: _supervisor,
        CaseReviewPerms.SCORE: _review_score,
    }
)
SCOPES.update(
    {
        "supervision.reviewplan": _plan_scope,
        "supervision.reviewassignment": _assignment_scope,
        "supervision.casereview": _review_scope,
    }
)


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
    return item is None or not has_footage_conflict(user, item.record)


def _overseen(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs if oversees(user) else qs.none()


# --- AV coverage and spot checks (R22.3) ---------------------------------------------


RULES.update(
    {
        CoveragePerms.VIEW: _oversees,
        SpotCheckPerms.VIEW: _oversees,
        SpotCheckPerms.PLAN: _plans,
        SpotCheckPerms.REVIEW: _reviews,
    }
)
SCOPES.update(
    {
        "supervision.spotcheckplan": _overseen,
        "supervision.spotchecksample": _overseen,
        "supervision.spotcheckitem": _overseen,
        "supervision.spotcheckreview": _overseen,
    }
)


# --- the supervisor's home and statistics (R22.1) --------------------------------------
# The supervisor and the agency head see every unit; a unit head sees their own unit's
# statistics; officers and the three administrators see none (三员 never read case data).


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


RULES.update(
    {
        SupervisionHomePerms.HOME: _home,
        StatisticsPerms.VIEW: _statistics,
        StatisticsPerms.EXPORT: _statistics,
        StatisticsPerms.ANNUAL_REPORT: _annual_report,
    }
)
SCOPES.update({"supervision.dailyfigure": _figures})


# --- findings, rectification 整改, accountability 责任追究, guidance 督办 (R22.5, R23) ----
# A unit head sees the findings and rectification orders of their own unit, and the person
# an order names sees it and reports on it; accountability records and focused guidance
# are the supervisors' and the agency head's only.


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


RULES.update(
    {
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
)
SCOPES.update(
    {
        Finding._meta.label_lower: _findings,
        RectificationOrder._meta.label_lower: _orders,
        RectificationEvidence._meta.label_lower: _evidence,
        AccountabilityRecord._meta.label_lower: _overseen,
        GuidanceEntry._meta.label_lower: _overseen,
    }
)
