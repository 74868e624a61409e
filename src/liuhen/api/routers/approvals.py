"""Approvals 审批 (R7.1) and urgent start 因情况紧急先启动程序 (R7.2), through the actions of
``liuhen.cases.actions.approvals`` — the same doors as the approval screen.

Who sees an approval request: whoever may see its case (or, before filing, its lead), as on
the case and lead pages, its requester, and the approver whose turn it is. Any other request
is answered 404, exactly like one that does not exist (the attempt is audited).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from liuhen.accounts.models import Role
from liuhen.api.lookups import display_name, username
from liuhen.api.pagination import Pagination
from liuhen.api.schemas import ERRORS, ERRORS_404
from liuhen.cases import approvals
from liuhen.cases.actions.approvals import decide, request_approval, start_urgently
from liuhen.cases.http import AuthenticatedRequest
from liuhen.cases.models import Approval, ApprovalRequest, ApprovalStatus, Case
from liuhen.cases.perms import ApprovalPerms, CasePerms
from liuhen.cases.workflow import CASE_STEPS, URGENT_STEPS
from liuhen.core import access

router = Router(tags=["approvals"])


def _role_label(role: str) -> str:
    return str(dict(Role.choices).get(role, role))


class SignedApprovalOut(Schema):
    position: int = Field(description="place in the chain, from 0")
    role: str = Field(description="the role the approver signed as, e.g. unit_head")
    role_label: str
    approver: str = Field(description="username")
    approver_name: str
    approved: bool
    opinion: str
    experts: str = Field(description="experts or legal advisers taking part (R7.4)")
    expert_opinion: str = Field(description="their minutes or written opinion (R7.4)")
    signed_at: dt.datetime

    @staticmethod
    def resolve_role_label(approval: Approval) -> str:
        return _role_label(approval.role)

    @staticmethod
    def resolve_approver(approval: Approval) -> str:
        return username(approval.approver)

    @staticmethod
    def resolve_approver_name(approval: Approval) -> str:
        return display_name(approval.approver)


class ApprovalRequestOut(Schema):
    id: int
    step: str = Field(
        description="e.g. filing, decision, closing, advance_preservation, seizure, "
        "seizure_extension"
    )
    step_label: str
    status: str = Field(description="pending, approved or rejected")
    status_label: str
    case_id: int | None
    lead_id: int | None
    note: str
    requested_by: str = Field(description="username")
    requested_by_name: str
    requested_at: dt.datetime
    chain: list[str] = Field(description="roles that sign in turn, e.g. unit_head, agency_head")
    chain_labels: list[str]
    position: int = Field(description="index of the role whose turn it is")
    current_role: str = Field(description="empty once decided")
    decided_at: dt.datetime | None
    urgent: bool = Field(description="the step began before approval (R7.2)")
    urgent_reason: str
    urgent_started_at: dt.datetime | None
    paperwork_due: dt.date | None
    report_due_at: dt.datetime | None = Field(
        description="a seizure or an advance preservation started urgently: approved by "
        "this time (行政强制法 Art. 19, 24 hours)"
    )
    paperwork_overdue: bool
    may_decide: bool = Field(description="the caller may sign now")
    approvals: list[SignedApprovalOut] = Field(description="the signed opinions, in chain order")

    @staticmethod
    def resolve_step_label(item: ApprovalRequest) -> str:
        return approvals.step_label(item.step)

    @staticmethod
    def resolve_status_label(item: ApprovalRequest) -> str:
        return str(ApprovalStatus(item.status).label)

    @staticmethod
    def resolve_requested_by(item: ApprovalRequest) -> str:
        return username(item.requested_by)

    @staticmethod
    def resolve_requested_by_name(item: ApprovalRequest) -> str:
        return display_name(item.requested_by)

    @staticmethod
    def resolve_chain_labels(item: ApprovalRequest) -> list[str]:
        return [_role_label(role) for role in item.chain]

    @staticmethod
    def resolve_urgent(item: ApprovalRequest) -> bool:
        return item.urgent_started_at is not None

    @staticmethod
    def resolve_paperwork_overdue(item: ApprovalRequest) -> bool:
        return item.is_overdue()

    @staticmethod
    def resolve_may_decide(item: ApprovalRequest, context: Any) -> bool:
        return access.can(context["request"].user, ApprovalPerms.DECIDE, item)

    @staticmethod
    def resolve_approvals(item: ApprovalRequest) -> list[Approval]:
        return list(item.approvals.all())


class ApprovalDecisionIn(Schema):
    approved: bool = Field(description="true: approve (the next role, or done); false: reject")
    opinion: str = Field("", description="the approver's written opinion (required)")
    experts: str = Field("", description="experts or legal advisers taking part (R7.4)")
    expert_opinion: str = Field("", description="required when experts took part (R7.4)")


class ApprovalRequestIn(Schema):
    step: str = Field(
        description="filing (a case created as 立案), advance_preservation, seizure, "
        "seizure_extension, decision or closing"
    )
    note: str = Field("", description="for the approvers; the closing report for closing")


class UrgentStartIn(Schema):
    step: str = Field(description="the step begun before approval: " + ", ".join(URGENT_STEPS))
    reason: str = Field("", description="why the step could not wait for approval (required)")


def with_approvals(requests: QuerySet[ApprovalRequest]) -> QuerySet[ApprovalRequest]:
    """``requests`` with what :class:`ApprovalRequestOut` reads, in a constant number of
    queries."""
    return requests.select_related("case", "lead", "requested_by").prefetch_related(
        "approvals__approver"
    )


def _visible_request(
    request: AuthenticatedRequest, request_id: int, action: str
) -> ApprovalRequest:
    return access.get_visible_or_404(
        request.user,
        with_approvals(ApprovalRequest.objects.all()),
        action=action,
        request=request,
        pk=request_id,
    )


def _visible_case(request: AuthenticatedRequest, case_id: int, action: str) -> Case:
    return access.get_visible_or_404(request.user, Case, action=action, request=request, pk=case_id)


@router.get(
    "/approvals",
    response={200: list[ApprovalRequestOut], **ERRORS},
    summary="My approval inbox: pending requests it is my turn to sign",
)
@paginate(Pagination)
def approval_inbox(request: AuthenticatedRequest) -> QuerySet[Any]:
    """Unit heads (their unit's requests) and agency heads; oldest first. Others: 403."""
    access.require(request.user, ApprovalPerms.LIST, request=request)
    return approvals.inbox(request.user).prefetch_related("approvals__approver")


@router.get(
    "/approvals/{request_id}",
    response={200: ApprovalRequestOut, **ERRORS_404},
    summary="One approval request with its chain and signed approvals",
)
def get_approval_request(request: AuthenticatedRequest, request_id: int) -> ApprovalRequest:
    return _visible_request(request, request_id, ApprovalPerms.VIEW)


@router.post(
    "/approvals/{request_id}/decision",
    response={201: ApprovalRequestOut, **ERRORS_404},
    summary="Sign my approval or rejection at the current place of the chain",
)
def decide_approval_request(
    request: AuthenticatedRequest, request_id: int, payload: ApprovalDecisionIn
) -> Status:
    """R7.1: the role whose turn it is signs (a unit head: of the request's unit), never the
    requester. The last approval carries the step out (e.g. a filing opens the case)."""
    item = _visible_request(request, request_id, ApprovalPerms.VIEW)
    signed = decide(
        request.user,
        item,
        approve=payload.approved,
        opinion=payload.opinion,
        experts=payload.experts,
        expert_opinion=payload.expert_opinion,
        request=request,
    )
    # As it stands now: the step's handler may have changed it (a filing links its case).
    item = signed.request
    item.refresh_from_db()
    return Status(201, item)


@router.get(
    "/cases/{case_id}/approval-requests",
    response={200: list[ApprovalRequestOut], **ERRORS_404},
    summary="A case's approval requests, newest first",
)
@paginate(Pagination)
def case_approval_requests(request: AuthenticatedRequest, case_id: int) -> QuerySet[Any]:
    case = _visible_case(request, case_id, CasePerms.VIEW)
    return with_approvals(case.approval_requests.order_by("-requested_at", "-id"))


@router.post(
    "/cases/{case_id}/approval-requests",
    response={201: ApprovalRequestOut, **ERRORS_404},
    summary="Ask for approval of a step of the case",
)
def request_case_approval(
    request: AuthenticatedRequest, case_id: int, payload: ApprovalRequestIn
) -> Status:
    """The chain is the step's (unit head → agency head unless configured). After an urgent
    start of the same step, the pending urgent request is answered (its paperwork)."""
    case = _visible_case(request, case_id, ApprovalPerms.REQUEST)
    if payload.step in approvals.steps() and payload.step not in CASE_STEPS:
        # Known to the approvals, but asked for through another door (a lead's, a suspension's).
        raise ValidationError({"step": [_("Approval of this step is not requested here.")]})
    item = request_approval(request.user, case, payload.step, note=payload.note, request=request)
    return Status(201, item)


@router.post(
    "/cases/{case_id}/urgent-start",
    response={201: ApprovalRequestOut, **ERRORS_404},
    summary="Record that a step began before approval (R7.2); its approval falls due",
)
def urgent_start(request: AuthenticatedRequest, case_id: int, payload: UrgentStartIn) -> Status:
    """The pending request's ``paperwork_due`` is the configured working days after today."""
    case = _visible_case(request, case_id, ApprovalPerms.REQUEST)
    if payload.step not in URGENT_STEPS:
        raise ValidationError({"step": [_("This step cannot be started before approval.")]})
    item = start_urgently(request.user, case, payload.step, payload.reason, request=request)
    return Status(201, item)
