"""Who may read and work a case, its leads and its approvals (R7.1, R21.2, R18.5).

Reading follows unit, role, assignment and the confidentiality class; changing is for
the case's officers and their unit head, among those who read it. The other apps'
policies (activities, AV records, documents, service) are written in terms of
:func:`may_read_case`, :func:`may_change_case` and :func:`case_scope`. Registered by
``CasesConfig.ready()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from liuhen.accounts.models import Role
from liuhen.accounts.policy import (
    BUREAU_WIDE_CASE_READERS,
    case_roles_only,
    same_unit,
    works_in_unit,
)
from liuhen.cases.models import (
    ApprovalRequest,
    ApprovalStatus,
    Case,
    DiscussionOpinion,
    HearingSchedule,
    Lead,
)
from liuhen.cases.perms import ApprovalPerms, CasePerms, LeadPerms, PlatformPerms
from liuhen.core.confidentiality import RESTRICTED_CLASSES, Confidentiality

if TYPE_CHECKING:
    from liuhen.accounts.models import User


def is_assigned(user: User, case: Case) -> bool:
    return case.officers.filter(pk=user.pk).exists()


def may_read_case(user: User, case: Case) -> bool:
    if not case_roles_only(user):
        return False
    assigned = is_assigned(user, case)
    if case.confidentiality == Confidentiality.STATE_SECRET:
        return assigned or user.has_role(Role.AGENCY_HEAD)
    if case.confidentiality in RESTRICTED_CLASSES:
        return (
            assigned
            or user.has_role(Role.AGENCY_HEAD)
            or (user.has_role(Role.UNIT_HEAD) and same_unit(user, case))
        )
    if user.has_role(*BUREAU_WIDE_CASE_READERS):
        return True
    return assigned or (
        user.has_role(Role.UNIT_HEAD, Role.OFFICER, Role.CUSTODIAN) and same_unit(user, case)
    )


def may_change_case(user: User, case: Any) -> bool:
    """Whoever works the case: its officers and their unit head — and only who may read
    it, so the confidentiality class (a state secret is for its officers) narrows every
    write on the case as it narrows reading it."""
    if case is None or not case_roles_only(user):
        return False
    if is_assigned(user, case):
        return True
    return user.has_role(Role.UNIT_HEAD) and same_unit(user, case) and may_read_case(user, case)


def may_assign_case(user: User, case: Any) -> bool:
    """Who names a case's officers and removes its parties: the head of the case's unit,
    where the head may read the case (R4.1)."""
    if case is None or not case_roles_only(user):
        return False
    return user.has_role(Role.UNIT_HEAD) and same_unit(user, case) and may_read_case(user, case)


def case_scope(user: User, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if not case_roles_only(user):
        return qs.none()
    assigned = models.Q(officers=user)
    restricted = models.Q(confidentiality__in=RESTRICTED_CLASSES)
    if user.has_role(Role.AGENCY_HEAD):
        return qs
    ordinary_reach = models.Q()
    if user.has_role(*BUREAU_WIDE_CASE_READERS):
        ordinary_reach = models.Q(pk__isnull=False)
    elif user.unit_id is not None:
        ordinary_reach = models.Q(unit_id=user.unit_id)
    restricted_reach = assigned
    if user.has_role(Role.UNIT_HEAD) and user.unit_id is not None:
        restricted_reach |= models.Q(unit_id=user.unit_id) & ~models.Q(
            confidentiality=Confidentiality.STATE_SECRET
        )
    allowed = (~restricted & (ordinary_reach | assigned)) | (restricted & restricted_reach)
    # Filter on ids so the M2M join cannot duplicate rows in counts.
    return qs.filter(pk__in=qs.model.objects.filter(allowed).values("pk"))


def visible_cases(user: User) -> models.QuerySet[Case]:
    """The cases ``user`` may read (for the policies of what hangs off a case)."""
    return case_scope(user, Case.objects.all())


def by_case(user: User, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    """A scope for rows that belong to a case (``case`` foreign key): the case's readers."""
    if not case_roles_only(user):
        return qs.none()
    return qs.filter(case__in=visible_cases(user).values("pk"))


def case_of(obj: Any) -> Any:
    """The case of a document, an issued document, a service record or a decision."""
    if obj is None or isinstance(obj, Case):
        return obj
    return getattr(obj, "case", None)


def reads_case_of(user: User, obj: Any) -> bool:
    """Whoever may read the case ``obj`` belongs to."""
    case = case_of(obj)
    return case is not None and may_read_case(user, case)


def works_case_of(user: User, obj: Any) -> bool:
    """Whoever works the case ``obj`` belongs to."""
    case = case_of(obj)
    return case is not None and may_change_case(user, case)


# --- cases (R21.2) -------------------------------------------------------------------


def _case_list(user: User, obj: Any) -> bool:
    return case_roles_only(user)


def _case_view(user: User, case: Any) -> bool:
    # The timeline is the case's own history: whoever may read the case reads it
    # (the audit admin's whole-log view is "audit.view"; admin roles never read cases).
    return case is not None and may_read_case(user, case)


def _case_create(user: User, unit: Any) -> bool:
    """Officers and unit heads create cases of their own unit (``unit``, when given)."""
    return (
        not user.is_admin_role
        and user.has_role(Role.OFFICER, Role.UNIT_HEAD)
        and user.unit_id is not None
        and (unit is None or unit.pk == user.unit_id)
    )


def _legal_review(user: User, case: Any) -> bool:
    # 法制审核: never by an investigator of the same case (农业行政处罚程序规定).
    return (
        case is not None
        and user.has_role(Role.LEGAL_REVIEWER)
        and may_read_case(user, case)
        and not is_assigned(user, case)
    )


def _discuss(user: User, case: Any) -> bool:
    """集体讨论 (Art. 57): the agency's heads decide, so the agency head (or the deputy
    holding the role) chairs and records it on any case they may read; whoever works the
    case records it too."""
    if case is None or not case_roles_only(user):
        return False
    if may_change_case(user, case):
        return True
    return user.has_role(Role.AGENCY_HEAD) and may_read_case(user, case)


def _confirm_opinion(user: User, opinion: Any) -> bool:
    """Each attendee confirms their own opinion, and nobody else's (R7.3)."""
    return (
        isinstance(opinion, DiscussionOpinion)
        and opinion.attendee_id == user.pk
        and case_roles_only(user)
    )


def _opinion_scope(user: User, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    """One's own opinions, and those of the discussions of the cases one may read."""
    if not case_roles_only(user):
        return qs.none()
    return qs.filter(
        models.Q(attendee=user) | models.Q(discussion__case__in=visible_cases(user).values("pk"))
    )


def is_hearing_staff(user: User, case: Case) -> bool:
    """The chair or clerk named for one of the case's hearings (the chair is never an
    investigator, Art. 64(4), so is often no officer of the case)."""
    return (
        HearingSchedule.objects.filter(hearing__case=case)
        .filter(models.Q(chair=user) | models.Q(clerk=user))
        .exists()
    )


def _case_hearing_record(user: User, case: Any) -> bool:
    """The hearing held (听证笔录): whoever works the case, or the chair or clerk named for
    one of its hearings."""
    if case is None or not case_roles_only(user):
        return False
    if may_change_case(user, case):
        return True
    return may_read_case(user, case) and is_hearing_staff(user, case)


# --- leads and approvals (R7.1) ---------------------------------------------------


def _lead_create(user: User, unit: Any) -> bool:
    return works_in_unit(user, unit.pk if unit is not None else user.unit_id)


def _lead_list(user: User, obj: Any) -> bool:
    return case_roles_only(user)


def _lead_view(user: User, lead: Any) -> bool:
    if lead is None or not case_roles_only(user):
        return False
    return user.has_role(*BUREAU_WIDE_CASE_READERS) or same_unit(user, lead)


def _lead_propose(user: User, lead: Any) -> bool:
    return lead is not None and works_in_unit(user, lead.unit_id)


def _lead_scope(user: User, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if not case_roles_only(user):
        return qs.none()
    if user.has_role(*BUREAU_WIDE_CASE_READERS):
        return qs
    return qs.filter(unit_id=user.unit_id) if user.unit_id is not None else qs.none()


def _approval_request(user: User, target: Any) -> bool:
    if isinstance(target, Lead):
        return _lead_propose(user, target)
    return may_change_case(user, target)


def unit_id_of(approval_request: ApprovalRequest) -> int | None:
    """The unit whose head approves: the case's or the lead's, else the unit of the thing
    the request is about (R5.2: the AV exemption of a patrol outside any case)."""
    unit_id = approval_request.unit_id
    if unit_id is None and approval_request.ref:
        unit_id = getattr(approval_request.target, "unit_id", None)
    return unit_id


def may_decide(user: User, approval_request: ApprovalRequest) -> bool:
    """R7.1: the current role, of one's own unit for a unit head, never one's own request."""
    if approval_request.status != ApprovalStatus.PENDING or user.is_admin_role:
        return False
    if approval_request.requested_by_id == user.pk:
        return False  # nobody approves their own request
    role = approval_request.current_role
    if not role or not user.has_role(role):
        return False
    if role == Role.UNIT_HEAD:
        return user.unit_id is not None and user.unit_id == unit_id_of(approval_request)
    return True


def _approval_decide(user: User, approval_request: Any) -> bool:
    return approval_request is not None and may_decide(user, approval_request)


def _approval_view(user: User, approval_request: Any) -> bool:
    """Whoever may read its case (or, before filing, its lead), and the approver whose turn
    it is — the inbox lists it for them."""
    if approval_request is None:
        return False
    if approval_request.requested_by_id == user.pk and case_roles_only(user):
        return True  # one's own request, also when it concerns no case (a patrol's exemption)
    if approval_request.case is not None:
        if _case_view(user, approval_request.case):
            return True
    elif approval_request.lead is not None and _lead_view(user, approval_request.lead):
        return True
    return _approval_decide(user, approval_request)


def _approval_list(user: User, obj: Any) -> bool:
    return not user.is_admin_role and user.has_role(Role.UNIT_HEAD, Role.AGENCY_HEAD)


def _awaiting(user: User) -> list[int]:
    """Ids of the pending requests ``user`` may sign now (their turn, R7.1)."""
    if not user.has_role(Role.UNIT_HEAD, Role.AGENCY_HEAD):
        return []
    pending = ApprovalRequest.objects.filter(status=ApprovalStatus.PENDING).exclude(
        requested_by=user
    )
    return [ar.pk for ar in pending.select_related("case", "lead") if may_decide(user, ar)]


def _approval_scope(user: User, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    """The requests of :func:`_approval_view`, in one query: one's own, those of the cases
    and leads one may read, and those awaiting one's signature."""
    if not case_roles_only(user):
        return qs.none()
    leads = _lead_scope(user, Lead.objects.all()).values("pk")
    reach = (
        models.Q(requested_by=user)
        | models.Q(case__in=visible_cases(user).values("pk"))
        | models.Q(case__isnull=True, lead__in=leads)
        | models.Q(pk__in=_awaiting(user))
    )
    return qs.filter(reach)


def _platform_export(user: User, obj: Any) -> bool:
    # Only the nightly job (the system) sends the bureau's records to the platform.
    return False


RULES = {
    PlatformPerms.EXPORT: _platform_export,
    CasePerms.LIST: _case_list,
    # The case, or one of its records fetched on its own (an advance notice, a hearing).
    CasePerms.VIEW: reads_case_of,
    CasePerms.TIMELINE: _case_view,
    CasePerms.CHANGE: may_change_case,
    CasePerms.ASSIGN: may_assign_case,
    CasePerms.CREATE: _case_create,
    CasePerms.LEGAL_REVIEW: _legal_review,
    CasePerms.DISCUSS: _discuss,
    CasePerms.CONFIRM_OPINION: _confirm_opinion,
    # Hearing requests and schedules (Art. 63, 64), and asking for a suspension or a
    # resumption of the investigation (approved by the heads): whoever works the case.
    CasePerms.HEARING: may_change_case,
    CasePerms.SUSPEND: may_change_case,
    CasePerms.HEARING_RECORD: _case_hearing_record,
    LeadPerms.CREATE: _lead_create,
    LeadPerms.LIST: _lead_list,
    LeadPerms.VIEW: _lead_view,
    LeadPerms.PROPOSE: _lead_propose,
    ApprovalPerms.REQUEST: _approval_request,
    ApprovalPerms.DECIDE: _approval_decide,
    ApprovalPerms.VIEW: _approval_view,
    ApprovalPerms.LIST: _approval_list,
}

SCOPES = {
    "cases.case": case_scope,
    "cases.lead": _lead_scope,
    "cases.approvalrequest": _approval_scope,
    # A case's records that are fetched by their own id: whoever may read the case.
    "cases.advancenotice": by_case,
    "cases.hearing": by_case,
    "cases.discussionopinion": _opinion_scope,
}
