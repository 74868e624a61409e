"""Suspension 中止调查 and resumption 恢复调查 of the investigation.

农业行政处罚程序规定 (2021): where the decision depends on another case or decision not yet
made, a question of law awaits an authoritative interpretation, force majeure or the
party's unknown whereabouts make investigation temporarily impossible, the investigation
is suspended **with the approval of the agency's head**; once the cause is gone it is
resumed at once. The officer therefore asks, and the approval chain (R7.1, steps
``suspension`` and ``resumption``) decides; each takes effect on the day it is approved.
(案件中止调查决定书 / 恢复案件调查决定书, documents.md 22–23.)

While suspended, the decision clock pauses (the agriculture provisions do not count the
suspension; ``cases.deadlines.DecisionDeadline``) and the case may not move to its next
stage (``cases.workflow.blockers``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liuhen.cases import approvals
from liuhen.cases.events import CaseEvents
from liuhen.cases.models import (
    ApprovalRequest,
    ApprovalStatus,
    Case,
    Decision,
    Procedure,
    Resumption,
    Stage,
    Suspension,
    SuspensionGround,
)
from liuhen.cases.perms import CasePerms
from liuhen.core import access, audit

if TYPE_CHECKING:
    from django.http import HttpRequest

SUSPENDABLE_STAGES = (Stage.INVESTIGATION, Stage.DECISION)


@dataclasses.dataclass(frozen=True)
class Period:
    """A suspension in effect from ``start`` until ``end`` (None: still running)."""

    suspension: Suspension
    start: dt.date
    end: dt.date | None

    def days(self, today: dt.date) -> int:
        return max(((self.end or today) - self.start).days, 0)


def resumed_on(suspension: Suspension) -> dt.date | None:
    """The day an approved resumption ended ``suspension`` (None: still running)."""
    days = [r.resumed_on for r in suspension.resumptions.all()]
    found = [day for day in days if day is not None]
    return min(found) if found else None


def status(suspension: Suspension) -> str:
    """Where a suspension stands: pending (awaiting approval), rejected, running, resumed —
    one answer for the case page and the API."""
    if suspension.approval.status == ApprovalStatus.PENDING:
        return "pending"
    if suspension.suspended_on is None:
        return "rejected"
    return "resumed" if resumed_on(suspension) is not None else "running"


def periods(suspensions: list[Suspension]) -> list[Period]:
    """The approved suspensions among ``suspensions``, each with its span (reads the
    prefetched approvals, so a list of cases costs no query per case)."""
    found = []
    for suspension in suspensions:
        start = suspension.suspended_on
        if start is not None:
            found.append(Period(suspension, start, resumed_on(suspension)))
    return sorted(found, key=lambda p: (p.start, p.suspension.pk))


def _suspensions(case: Case) -> list[Suspension]:
    return list(
        Suspension.objects.filter(case=case)
        .select_related("approval", "requested_by")
        .prefetch_related("resumptions__approval", "resumptions__requested_by")
    )


def current(case: Case) -> Period | None:
    """The suspension in effect now, if any."""
    running = [p for p in periods(_suspensions(case)) if p.end is None]
    return running[-1] if running else None


def is_suspended(case: Case) -> bool:
    return current(case) is not None


def _pending(case: Case, step: str) -> bool:
    return ApprovalRequest.objects.filter(
        case=case, step=step, status=ApprovalStatus.PENDING
    ).exists()


def suspend_investigation(
    actor: Any,
    case: Case,
    *,
    ground: str,
    reason: str,
    request: HttpRequest | None = None,
) -> Suspension:
    """Ask the heads to approve suspending the investigation of ``case``."""
    access.require(actor, CasePerms.SUSPEND, case, request=request)
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
    if _pending(case, "suspension"):
        raise ValidationError(
            _("A suspension of this investigation is awaiting approval already."),
            code="duplicate",
        )
    with transaction.atomic():
        approval_request = approvals.request_approval(
            actor, case, "suspension", note=reason, request=request
        )
        suspension = Suspension.objects.create(
            case=case,
            ground=ground,
            reason=reason,
            requested_by=actor,
            approval=approval_request,
        )
        audit.record(
            CaseEvents.SUSPEND,
            actor=actor,
            request=request,
            obj=suspension,
            case_id=case.pk,
            details={"ground": ground, "reason": reason, "approval": approval_request.pk},
        )
    return suspension


def resume_investigation(
    actor: Any,
    case: Case,
    *,
    reason: str,
    request: HttpRequest | None = None,
) -> Resumption:
    """Ask the heads to approve resuming the suspended investigation of ``case``."""
    access.require(actor, CasePerms.SUSPEND, case, request=request)
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            _("Say why the investigation can be resumed (the cause is gone)."), code="required"
        )
    period = current(case)
    if period is None:
        raise ValidationError(_("The investigation is not suspended."), code="state")
    suspension = period.suspension
    if _pending(case, "resumption"):
        raise ValidationError(
            _("The resumption of this investigation is awaiting approval already."),
            code="duplicate",
        )
    with transaction.atomic():
        approval_request = approvals.request_approval(
            actor, case, "resumption", note=reason, request=request
        )
        resumption = Resumption.objects.create(
            suspension=suspension,
            reason=reason,
            requested_by=actor,
            approval=approval_request,
        )
        audit.record(
            CaseEvents.RESUME,
            actor=actor,
            request=request,
            obj=resumption,
            case_id=case.pk,
            details={
                "suspension": suspension.pk,
                "reason": reason,
                "approval": approval_request.pk,
            },
        )
    return resumption


def _suspended(actor: Any, approval_request: ApprovalRequest, request: Any) -> None:
    suspension = Suspension.objects.get(approval=approval_request)
    audit.record(
        CaseEvents.INVESTIGATION_SUSPENDED,
        actor=actor,
        request=request,
        obj=suspension,
        case_id=suspension.case_id,
        details={"since": f"{timezone.localdate(approval_request.decided_at):%Y-%m-%d}"},
    )


def _resumed(actor: Any, approval_request: ApprovalRequest, request: Any) -> None:
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
