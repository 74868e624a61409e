"""Asking for approval 审批 (R7.1), starting a step before it (R7.2) and signing it.

When the last role of the chain approves, the step's handler (``ApprovalStep.on_approved``,
an internal of the owning app's actions) carries the step out in the same transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.cases import approvals, notices
from liuhen.cases.actions.frozen import refuse_if_archived
from liuhen.cases.events import ApprovalEvents
from liuhen.cases.models import Approval, ApprovalRequest, ApprovalStatus, Case, Lead
from liuhen.cases.perms import ApprovalPerms
from liuhen.core import access, audit, calendar, registry, rules

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.accounts.models import User


def _check_step(step: str) -> None:
    if step not in registry.approval_steps:
        raise ValidationError(_("Unknown approval step."), code="invalid")


def _new_request(
    actor: User,
    *,
    step: str,
    case: Case | None,
    lead: Lead | None,
    note: str,
    ref: str = "",
    urgent_reason: str = "",
) -> ApprovalRequest:
    now = timezone.now()
    urgent = bool(urgent_reason)
    due = None
    report_due_at = approvals.urgent_report_due(step, now) if urgent else None
    if report_due_at is not None:
        # 行政强制法 Art. 19 and the agriculture provisions count hours: due that day.
        due = timezone.localtime(report_due_at).date()
    elif urgent:
        # R7.2: the paperwork is due within the configured working days of the start.
        due = calendar.add_working_days(
            timezone.localdate(now), int(rules.value("urgent_start_paperwork"))
        )
    return ApprovalRequest.objects.create(
        case=case,
        lead=lead,
        step=step,
        ref=ref,
        note=note.strip(),
        requested_by=actor,
        requested_at=now,
        chain=approvals.chain_for(step),
        urgent_reason=urgent_reason,
        urgent_started_at=now if urgent else None,
        paperwork_due=due,
        report_due_at=report_due_at,
    )


def _approved_before(step: str, case: Case | None, lead: Lead | None, ref: str) -> bool:
    return ApprovalRequest.objects.filter(
        step=step, status=ApprovalStatus.APPROVED, case=case, lead=lead, ref=ref
    ).exists()


def _request_approval(
    actor: User,
    *,
    step: str,
    case: Case | None,
    lead: Lead | None = None,
    ref: str = "",
    note: str = "",
    request: HttpRequest | None = None,
) -> ApprovalRequest:
    """The request for ``step`` without the access check, inside the caller's transaction
    (a lead's filing proposal, a suspension: their actions checked their own permission)."""
    _check_step(step)
    pending = ApprovalRequest.objects.filter(
        step=step, status=ApprovalStatus.PENDING, case=case, lead=lead, ref=ref
    )
    if pending.filter(urgent_started_at__isnull=True).exists():
        raise ValidationError(_("This step is already awaiting approval."), code="duplicate")
    if registry.approval_steps[step].once and _approved_before(step, case, lead, ref):
        raise ValidationError(
            _("This step has been approved already and is approved only once."), code="once"
        )
    urgent = pending.filter(urgent_started_at__isnull=False).first()
    if urgent is not None:
        # The paperwork for an urgent start: the request exists, add the note.
        return urgent
    approval_request = _new_request(actor, step=step, case=case, lead=lead, note=note, ref=ref)
    audit.record(
        ApprovalEvents.REQUEST,
        actor=actor,
        request=request,
        obj=approval_request,
        case_id=case.pk if case is not None else None,
        details={
            "step": step,
            "lead": lead.pk if lead else None,
            "chain": approval_request.chain,
            **({"ref": ref} if ref else {}),
        },
    )
    notices.approval_turn(approval_request)
    return approval_request


def request_approval(
    actor: User,
    case: Case,
    step: str,
    *,
    note: str = "",
    request: HttpRequest | None = None,
) -> ApprovalRequest:
    """Ask for approval of the case's ``step`` (its filing, decision, closing …).

    After an urgent start of the same step the pending urgent request is the answer (its
    paperwork); one request per step awaits approval at a time.
    """
    _check_step(step)
    access.require(actor, ApprovalPerms.REQUEST, case, request=request)
    refuse_if_archived(actor, case, "cases.request_approval", request=request)
    with transaction.atomic(durable=True):
        return _request_approval(actor, step=step, case=case, note=note, request=request)


def request_approval_about(
    actor: User,
    case: Case | None,
    step: str,
    *,
    about: models.Model,
    note: str = "",
    request: HttpRequest | None = None,
) -> ApprovalRequest:
    """Ask for approval of ``step`` for one thing among several of a case, or outside any
    case (R5.2: the AV exemption of one activity; a deferral of one decision's payment).

    Whoever may ask for it under the rule ``<step>.request`` on ``about`` asks, and one
    request per thing awaits approval at a time. Part of the owning app's own action (which
    records the exemption, the deferral …), so it runs inside that action's transaction.
    """
    _check_step(step)
    access.require(actor, f"{step}.request", about, request=request)
    refuse_if_archived(actor, case, "cases.request_approval_about", request=request)
    return _request_approval(
        actor, step=step, case=case, ref=approvals.ref_of(about), note=note, request=request
    )


def request_or_join(
    actor: User,
    case: Case,
    step: str,
    *,
    note: str = "",
    request: HttpRequest | None = None,
) -> ApprovalRequest:
    """Ask for approval of the case's ``step`` inside the caller's transaction (a 审批表
    draft submitted, whose submission is the step's request): the request already awaiting
    approval if someone asked on the case's pages (or started the step urgently), else a
    new one."""
    _check_step(step)
    access.require(actor, ApprovalPerms.REQUEST, case, request=request)
    refuse_if_archived(actor, case, "cases.request_or_join", request=request)
    pending = (
        ApprovalRequest.objects.filter(case=case, step=step, ref="", status=ApprovalStatus.PENDING)
        .order_by("-requested_at", "-id")
        .first()
    )
    if pending is not None:
        return pending
    return _request_approval(actor, step=step, case=case, note=note, request=request)


def start_urgently(
    actor: User,
    case: Case,
    step: str,
    reason: str,
    *,
    request: HttpRequest | None = None,
) -> ApprovalRequest:
    """R7.2: record that ``step`` began before approval; its approval is due shortly."""
    _check_step(step)
    access.require(actor, ApprovalPerms.REQUEST, case, request=request)
    refuse_if_archived(actor, case, "cases.start_urgently", request=request)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the step could not wait for approval."), code="required")
    if registry.approval_steps[step].once and _approved_before(step, case, None, ""):
        raise ValidationError(
            _("This step has been approved already and is approved only once."), code="once"
        )
    with transaction.atomic(durable=True):
        approval_request = _new_request(
            actor, step=step, case=case, lead=None, note="", urgent_reason=reason
        )
        notices.approval_turn(approval_request)
        audit.record(
            ApprovalEvents.URGENT_START,
            actor=actor,
            request=request,
            obj=approval_request,
            case_id=case.pk,
            details={
                "step": step,
                "reason": reason,
                "paperwork_due": approval_request.paperwork_due.isoformat()
                if approval_request.paperwork_due
                else None,
                **(
                    {"report_due_at": approval_request.report_due_at.isoformat()}
                    if approval_request.report_due_at
                    else {}
                ),
            },
        )
    return approval_request


def decide(
    actor: User,
    approval_request: ApprovalRequest,
    *,
    approve: bool,
    opinion: str,
    experts: str = "",
    expert_opinion: str = "",
    request: HttpRequest | None = None,
) -> Approval:
    """Sign the current position of the chain: approve (next role, or done) or reject.

    R7.4: where the approver invited experts or legal advisers, ``experts`` names them and
    ``expert_opinion`` holds their minutes or written opinion (required then). The signed
    :class:`Approval`'s ``request`` is the request as it stands after the signature."""
    opinion = opinion.strip()
    experts, expert_opinion = experts.strip(), expert_opinion.strip()
    access.require(actor, ApprovalPerms.DECIDE, approval_request, request=request)
    refuse_if_archived(actor, approval_request.case, "cases.decide", request=request)
    if not opinion:
        raise ValidationError(_("An approval needs a written opinion."), code="required")
    if experts and not expert_opinion:
        raise ValidationError(
            {"expert_opinion": [approvals.EXPERT_RECORD_REQUIRED]}, code="expert_record_missing"
        )
    with transaction.atomic(durable=True):
        # Lock: two approvers pressing at once must not both sign one position.
        seen = approval_request.position
        approval_request = ApprovalRequest.objects.select_for_update().get(pk=approval_request.pk)
        if approval_request.status != ApprovalStatus.PENDING or approval_request.position != seen:
            raise ValidationError(_("This request has been decided already."), code="decided")
        approval = Approval.objects.create(
            request=approval_request,
            position=approval_request.position,
            approver=actor,
            role=approval_request.current_role,
            approved=approve,
            opinion=opinion,
            experts=experts,
            expert_opinion=expert_opinion,
        )
        if not approve:
            approval_request.status = ApprovalStatus.REJECTED
            approval_request.decided_at = approval.signed_at
        elif approval_request.position + 1 >= len(approval_request.chain):
            approval_request.status = ApprovalStatus.APPROVED
            approval_request.decided_at = approval.signed_at
        approval_request.position += 1
        approval_request.save(update_fields=["status", "decided_at", "position"])
        audit.record(
            ApprovalEvents.DECIDE,
            actor=actor,
            request=request,
            obj=approval_request,
            case_id=approval_request.case_id,
            details={
                "step": approval_request.step,
                "role": approval.role,
                "approve": approve,
                "opinion": opinion,
                "experts": experts,
                "status": approval_request.status,
            },
        )
        step = registry.approval_steps[approval_request.step]
        if approval_request.status == ApprovalStatus.APPROVED:
            handler = step.on_approved
        elif approval_request.status == ApprovalStatus.REJECTED:
            handler = step.on_rejected
        else:
            handler = None
        if handler is not None:
            handler(actor, approval_request, request)
        if approval_request.status == ApprovalStatus.PENDING:
            notices.approval_turn(approval_request)
    return approval
