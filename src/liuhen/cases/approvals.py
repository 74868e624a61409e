"""Approvals 审批 (R7.1) and urgent start 因情况紧急先启动程序 (R7.2).

A step that needs approval gets an :class:`ApprovalRequest` with a chain of roles; each
approver signs an :class:`Approval` (opinion, name, time), which the database keeps
write-once. When the last role approves, the step's handler carries the step out — e.g.
a filing approval opens the case.

Each app declares its steps as :class:`ApprovalStep` (label, handlers, default chain)
and registers them with :func:`register_steps` in its ``AppConfig.ready()``; each step
gets its configurable chain, the legal rule ``approval_chain_<step>``. A step that has
no handler must say so (``needs_handler=False``): its approval is read where it matters
(``is_approved``). The system checks refuse a step that needs a handler and has none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liuhen.accounts.models import Role, User
from liuhen.cases.events import ApprovalEvents
from liuhen.cases.models import Approval, ApprovalRequest, ApprovalStatus, Case, Lead
from liuhen.cases.perms import ApprovalPerms
from liuhen.cases.policy import may_decide
from liuhen.core import access, audit, calendar, registry, rules
from liuhen.core.rule_types import Citation, Kind, Law, Rule

if TYPE_CHECKING:
    from django.http import HttpRequest

Handler = Callable[[Any, ApprovalRequest, "HttpRequest | None"], None]

APPROVER_ROLES = (Role.UNIT_HEAD.value, Role.AGENCY_HEAD.value)
APPROVER_ROLE_LABELS = (
    (Role.UNIT_HEAD.value, Role.UNIT_HEAD.label),
    (Role.AGENCY_HEAD.value, Role.AGENCY_HEAD.label),
)
DEFAULT_APPROVAL_CHAIN = APPROVER_ROLES


@dataclass(frozen=True)
class ApprovalStep:
    key: str
    label: str | Promise
    on_approved: Handler | None = None
    on_rejected: Handler | None = None
    # False: the approval carries nothing out; the step's approval is asked for where it
    # matters (``is_approved``), e.g. the decision before it is recorded.
    needs_handler: bool = True
    default_chain: tuple[str, ...] = DEFAULT_APPROVAL_CHAIN

    @property
    def chain_rule(self) -> Rule:
        """R7.1: the configurable chain of roles approving this step, in order."""
        return Rule(
            key=chain_rule_key(self.key),
            label=format_lazy(gettext_lazy("Approval chain: {step}"), step=self.label),
            description=gettext_lazy(
                "The roles that approve this step, in order. A request keeps the chain it "
                "was made with."
            ),
            kind=Kind.CODES,
            default=self.default_chain,
            choices=APPROVER_ROLES,
            choice_labels=APPROVER_ROLE_LABELS,
            min_items=1,
            ordered=True,
            citations=(Citation(Law.REGULATION, "7"),),
        )


def chain_rule_key(step: str) -> str:
    return f"approval_chain_{step}"


def register_steps(steps: Iterable[ApprovalStep]) -> None:
    """An app's approval steps, each with its chain rule (from ``AppConfig.ready()``)."""
    for step in steps:
        registry.approval_steps.add(step.key, step)
        registry.rules.add(step.chain_rule.key, step.chain_rule)


def steps() -> dict[str, ApprovalStep]:
    return dict(registry.approval_steps.items())


# R7.4: where experts or legal advisers take part, their minutes or written opinion is kept.
EXPERT_RECORD_REQUIRED = gettext_lazy(
    "Experts or legal advisers took part: attach their minutes (会议纪要) or written opinion "
    "(R7.4)."
)


def chain_for(step: str) -> list[str]:
    """R7.1: the roles approving ``step``, in order — the rule ``approval_chain_<step>``
    (by default the unit head, then the agency head; the unit head alone for an AV
    exemption, R5.2 — unless the system administrator configured it)."""
    return [str(role) for role in rules.value(chain_rule_key(step))]


def step_label(step: str) -> str:
    found = registry.approval_steps.get(step)
    return str(found.label) if found is not None else step


def _check_step(step: str) -> None:
    if step not in registry.approval_steps:
        raise ValidationError(_("Unknown approval step."), code="invalid")


def ref_of(thing: models.Model) -> str:
    """How a request names what it is about, e.g. ``activities.activity:12``."""
    return f"{thing._meta.label_lower}:{thing.pk}"


def target_of(approval_request: ApprovalRequest) -> models.Model | None:
    """The thing a request is about (its ``ref``), e.g. the activity of an AV exemption."""
    return approval_request.target


def _create(
    actor: Any,
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
    if urgent:
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
        chain=chain_for(step),
        urgent_reason=urgent_reason,
        urgent_started_at=now if urgent else None,
        paperwork_due=due,
    )


def request_approval(
    actor: Any,
    case: Case | None,
    step: str,
    *,
    note: str = "",
    lead: Lead | None = None,
    about: models.Model | None = None,
    request: HttpRequest | None = None,
) -> ApprovalRequest:
    """Ask for approval of ``step`` on ``case`` (or, for filing, on ``lead``).

    A step asked for one thing among several of a case, or outside any case (R5.2: the AV
    exemption of one activity), is ``about`` that thing: whoever may ask for it under the
    rule ``<step>.request`` asks, and one request per thing awaits approval at a time.
    """
    _check_step(step)
    ref = ref_of(about) if about is not None else ""
    if about is not None:
        access.require(actor, f"{step}.request", about, request=request)
    else:
        target: Any = case if case is not None else lead
        access.require(actor, ApprovalPerms.REQUEST, target, request=request)
    with transaction.atomic():
        pending = ApprovalRequest.objects.filter(
            step=step, status=ApprovalStatus.PENDING, case=case, lead=lead, ref=ref
        )
        if pending.filter(urgent_started_at__isnull=True).exists():
            raise ValidationError(_("This step is already awaiting approval."), code="duplicate")
        urgent = pending.filter(urgent_started_at__isnull=False).first()
        if urgent is not None:
            # The paperwork for an urgent start: the request exists, add the note.
            return urgent
        approval_request = _create(actor, step=step, case=case, lead=lead, note=note, ref=ref)
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
    return approval_request


def start_urgently(
    actor: Any,
    case: Case,
    step: str,
    reason: str,
    *,
    request: HttpRequest | None = None,
) -> ApprovalRequest:
    """R7.2: record that ``step`` began before approval; its approval is due shortly."""
    _check_step(step)
    access.require(actor, ApprovalPerms.REQUEST, case, request=request)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the step could not wait for approval."), code="required")
    with transaction.atomic():
        approval_request = _create(
            actor, step=step, case=case, lead=None, note="", urgent_reason=reason
        )
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
            },
        )
    return approval_request


def decide(
    actor: Any,
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
    ``expert_opinion`` holds their minutes or written opinion (required then)."""
    opinion = opinion.strip()
    experts, expert_opinion = experts.strip(), expert_opinion.strip()
    # Checked outside the transaction so that a denial's audit event is kept.
    access.require(actor, ApprovalPerms.DECIDE, approval_request, request=request)
    if not opinion:
        raise ValidationError(_("An approval needs a written opinion."), code="required")
    if experts and not expert_opinion:
        raise ValidationError(
            {"expert_opinion": [EXPERT_RECORD_REQUIRED]}, code="expert_record_missing"
        )
    with transaction.atomic():
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
    return approval


def is_approved(case: Case, step: str) -> bool:
    return ApprovalRequest.objects.filter(
        case=case, step=step, status=ApprovalStatus.APPROVED
    ).exists()


def inbox(user: User) -> QuerySet[ApprovalRequest]:
    """Pending requests ``user`` may decide now (the approval screen)."""
    if user.is_admin_role:
        return ApprovalRequest.objects.none()
    pending = ApprovalRequest.objects.filter(status=ApprovalStatus.PENDING).exclude(
        requested_by=user
    )
    roles = [role for role in user.roles if role in (Role.UNIT_HEAD, Role.AGENCY_HEAD)]
    ids = [
        ar.pk
        for ar in pending.select_related("case", "lead")
        if ar.current_role in roles and may_decide(user, ar)
    ]
    return (
        ApprovalRequest.objects.filter(pk__in=ids)
        .select_related("case", "lead", "requested_by")
        .order_by("requested_at", "id")
    )


def overdue_paperwork(today: Any = None) -> list[ApprovalRequest]:
    """R7.2: urgent starts whose approval was not granted by the due date."""
    candidates = ApprovalRequest.objects.filter(
        paperwork_due__isnull=False,
    ).exclude(status=ApprovalStatus.APPROVED)
    return [ar for ar in candidates.select_related("case") if ar.is_overdue(today)]
