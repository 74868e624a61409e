"""Asking to suspend 中止调查 and to resume 恢复调查 the investigation, and what their
approval carries out (农业行政处罚程序规定; R7.1, steps ``suspension`` and ``resumption``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liuhen.cases import approvals
from liuhen.cases.actions.approvals import _request_approval
from liuhen.cases.actions.frozen import refuse_if_archived
from liuhen.cases.events import CaseEvents
from liuhen.cases.models import (
    ApprovalRequest,
    ApprovalStatus,
    ApprovedRequest,
    Case,
    Decision,
    Procedure,
    Resumption,
    Suspension,
    SuspensionGround,
)
from liuhen.cases.perms import CasePerms
from liuhen.cases.suspensions import SUSPENDABLE_STAGES, current, is_suspended, periods
from liuhen.core import access, audit

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.accounts.models import User


def _pending(case: Case, step: str) -> bool:
    return ApprovalRequest.objects.filter(
        case=case, step=step, status=ApprovalStatus.PENDING
    ).exists()


Asked = TypeVar("Asked", bound=ApprovedRequest)


def _ask_heads(
    actor: User,
    case: Case,
    step: str,
    model: type[Asked],
    event: CaseEvents,
    /,
    *,
    reason: str,
    details: dict[str, Any],
    asked_already: str,
    request: HttpRequest | None,
    **fields: Any,
) -> Asked:
    """Ask the heads to approve ``step`` of ``case`` and record what is asked, a row of
    ``model`` with ``fields``, which takes effect when the approval does. One request of a
    step awaits approval at a time: ``asked_already`` says so."""
    if _pending(case, step):
        raise ValidationError(asked_already, code="duplicate")
    with transaction.atomic(durable=True):
        # The rule of "approval.request" on a case is the one of "case.suspend".
        approval_request = _request_approval(
            actor, step=step, case=case, note=reason, request=request
        )
        asked = model._default_manager.create(
            reason=reason, requested_by=actor, approval=approval_request, **fields
        )
        audit.record(
            event,
            actor=actor,
            request=request,
            obj=asked,
            case_id=case.pk,
            details={**details, "reason": reason, "approval": approval_request.pk},
        )
    return asked


def suspend_investigation(
    actor: User,
    case: Case,
    *,
    ground: str,
    reason: str,
    request: HttpRequest | None = None,
) -> Suspension:
    """Ask the heads to approve suspending the investigation of ``case``."""
    access.require(actor, CasePerms.SUSPEND, case, request=request)
    refuse_if_archived(actor, case, "cases.suspend_investigation", request=request)
    reason = reason.strip()
    if ground not in SuspensionGround.values or not reason:
        raise ValidationError(
            _("Give the ground and the reason for suspending the investigation."),
            code="required",
        )
    if case.procedure != Procedure.ORDINARY or case.closed_at is not None:
        raise ValidationError(
            _("Only the investigation of an open ordinary-procedure case can be suspended."),
            code="state",
        )
    if case.stage not in SUSPENDABLE_STAGES or Decision.objects.filter(case=case).exists():
        raise ValidationError(
            _("The investigation can be suspended from filing until the decision."),
            code="state",
        )
    if is_suspended(case):
        raise ValidationError(_("The investigation is suspended already."), code="state")
    return _ask_heads(
        actor,
        case,
        "suspension",
        Suspension,
        CaseEvents.SUSPEND,
        reason=reason,
        details={"ground": ground},
        asked_already=_("A suspension of this investigation is awaiting approval already."),
        request=request,
        case=case,
        ground=ground,
    )


def resume_investigation(
    actor: User,
    case: Case,
    *,
    reason: str,
    request: HttpRequest | None = None,
) -> Resumption:
    """Ask the heads to approve resuming the suspended investigation of ``case``."""
    access.require(actor, CasePerms.SUSPEND, case, request=request)
    refuse_if_archived(actor, case, "cases.resume_investigation", request=request)
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            _("Say why the investigation can be resumed (the cause is gone)."), code="required"
        )
    period = current(case)
    if period is None:
        raise ValidationError(_("The investigation is not suspended."), code="state")
    suspension = period.suspension
    return _ask_heads(
        actor,
        case,
        "resumption",
        Resumption,
        CaseEvents.RESUME,
        reason=reason,
        details={"suspension": suspension.pk},
        asked_already=_("The resumption of this investigation is awaiting approval already."),
        request=request,
        suspension=suspension,
    )


# --- what the approval carries out: each takes effect on the day it is approved ------------


def _suspended(actor: User, approval_request: ApprovalRequest, request: HttpRequest | None) -> None:
    suspension = Suspension.objects.get(approval=approval_request)
    audit.record(
        CaseEvents.INVESTIGATION_SUSPENDED,
        actor=actor,
        request=request,
        obj=suspension,
        case_id=suspension.case_id,
        details={"since": f"{timezone.localdate(approval_request.decided_at):%Y-%m-%d}"},
    )


def _resumed(actor: User, approval_request: ApprovalRequest, request: HttpRequest | None) -> None:
    resumption = Resumption.objects.select_related("suspension__approval").get(
        approval=approval_request
    )
    period = periods([resumption.suspension])
    audit.record(
        CaseEvents.INVESTIGATION_RESUMED,
        actor=actor,
        request=request,
        obj=resumption,
        case_id=resumption.suspension.case_id,
        details={
            "since": f"{timezone.localdate(approval_request.decided_at):%Y-%m-%d}",
            "suspended_days": period[0].days(timezone.localdate()) if period else 0,
        },
    )


# R7.1: suspension and resumption take effect when approved.
APPROVAL_STEPS = (
    approvals.ApprovalStep(
        "suspension",
        gettext_lazy("Suspension of the investigation (中止调查)"),
        on_approved=_suspended,
    ),
    approvals.ApprovalStep(
        "resumption",
        gettext_lazy("Resumption of the investigation (恢复调查)"),
        on_approved=_resumed,
    ),
)
