"""Approval steps 审批 (R7.1) and urgent start 因情况紧急先启动程序 (R7.2): what a step is,
its chain of approvers, and what has been approved. Asking and signing are actions
(``cases.actions.approvals``).

A step that needs approval gets an :class:`ApprovalRequest` with a chain of roles; each
approver signs an :class:`Approval` (opinion, name, time), which the database keeps
write-once. When the last role approves, the step's handler carries the step out — e.g.
a filing approval opens the case.

Each app declares its steps as :class:`ApprovalStep` (label, handlers, default chain)
and registers them with :func:`add_steps` in its ``AppConfig.ready()``; each step
gets its configurable chain, the legal rule ``approval_chain_<step>``. A step that has
no handler must say so (``needs_handler=False``): its approval is read where it matters
(``is_approved``). The system checks refuse a step that needs a handler and has none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from liuhen.accounts.models import Role, User
from liuhen.cases.models import Approval, ApprovalRequest, ApprovalStatus, Case
from liuhen.cases.policy import may_decide
from liuhen.core import registry, rules
from liuhen.core.rule_types import Citation, Kind, Law, Rule

if TYPE_CHECKING:
    from django.http import HttpRequest

# What an approved (or rejected) step carries out, inside the approver's transaction: an
# underscore internal of the owning app's actions, called with the approver as actor.
Handler = Callable[[User, ApprovalRequest, "HttpRequest | None"], None]

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
    # Approved at most once per case (行政强制法 Art. 25: a seizure is extended only once).
    once: bool = False
    # The rule in hours within which an urgent start of this step is reported to the head
    # and approved (行政强制法 Art. 19); empty: the working days of ``urgent_start_paperwork``.
    urgent_report_rule: str = ""
    # The law that asks for this approval, cited by its chain rule beside R7.1's article.
    citations: tuple[Citation, ...] = ()

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
            citations=(*self.citations, Citation(Law.REGULATION, "7")),
        )


def chain_rule_key(step: str) -> str:
    return f"approval_chain_{step}"


def add_steps(steps: Iterable[ApprovalStep]) -> None:
    """An app's approval steps, each with its chain rule (from ``AppConfig.ready()``)."""
    for step in steps:
        registry.approval_steps.add(step.key, step)
        registry.rules.add(step.chain_rule.key, step.chain_rule)


def steps() -> dict[str, ApprovalStep]:
    return dict(registry.approval_steps.items())


# R7.4: where experts or legal advisers take part, their minutes or written opinion is kept.
EXPERT_RECORD_REQUIRED = gettext_lazy(
    "Experts or legal advisers took part: attach their minutes (会议纪要) or written opinion "
    "(basis: the recording rules, Art. 7)."
)


def chain_for(step: str) -> list[str]:
    """R7.1: the roles approving ``step``, in order — the rule ``approval_chain_<step>``
    (by default the unit head, then the agency head; the unit head alone for an AV
    exemption, R5.2 — unless the system administrator configured it)."""
    return [str(role) for role in rules.value(chain_rule_key(step))]


def step_label(step: str) -> str:
    found = registry.approval_steps.get(step)
    return str(found.label) if found is not None else step


def ref_of(thing: models.Model) -> str:
    """How a request names what it is about, e.g. ``activities.activity:12``."""
    return f"{thing._meta.label_lower}:{thing.pk}"


def target_of(approval_request: ApprovalRequest) -> models.Model | None:
    """The thing a request is about (its ``ref``), e.g. the activity of an AV exemption."""
    return approval_request.target


def is_approved(case: Case, step: str) -> bool:
    return ApprovalRequest.objects.filter(
        case=case, step=step, status=ApprovalStatus.APPROVED
    ).exists()


def is_approved_or_started(case: Case, step: str) -> bool:
    """Whether ``step`` of ``case`` is approved, or was started urgently (R7.2) and its
    approval is still awaited — not when the approval was refused."""
    return (
        ApprovalRequest.objects.filter(case=case, step=step)
        .filter(
            models.Q(status=ApprovalStatus.APPROVED)
            | models.Q(status=ApprovalStatus.PENDING, urgent_started_at__isnull=False)
        )
        .exists()
    )


@dataclass(frozen=True)
class ChainPlace:
    """One place of a chain (R7.1): the role that signs there, the signature if given, and
    whether the request waits for that role now."""

    role: str
    approval: Approval | None = None
    current: bool = False


@dataclass(frozen=True)
class ChainState:
    """Where a step of a case stands (R7.1): who approves it in what order, who has
    approved or refused, what is pending — of its latest request, or of the configured
    chain when nobody has asked yet."""

    step: str
    label: str
    request: ApprovalRequest | None
    places: tuple[ChainPlace, ...]

    @property
    def approved(self) -> bool:
        return self.request is not None and self.request.status == ApprovalStatus.APPROVED

    @property
    def pending(self) -> bool:
        return self.request is not None and self.request.status == ApprovalStatus.PENDING

    @property
    def may_ask(self) -> bool:
        """Nobody has asked yet, the last request was refused, or the step was started
        urgently and its paperwork is still to be sent (R7.2): it can be asked for."""
        if self.request is None or self.request.status == ApprovalStatus.REJECTED:
            return True
        return self.pending and self.request.urgent_started_at is not None


def chain_places(approval_request: ApprovalRequest) -> tuple[ChainPlace, ...]:
    """The request's chain, place by place, with the signatures given so far."""
    signed = {a.position: a for a in approval_request.approvals.all()}
    waiting = approval_request.status == ApprovalStatus.PENDING
    return tuple(
        ChainPlace(
            role=str(role),
            approval=signed.get(position),
            current=waiting and position == approval_request.position,
        )
        for position, role in enumerate(approval_request.chain)
    )


def chain_state(case: Case, step: str) -> ChainState:
    """R7.1: the state of ``step`` on ``case`` — approved if any request was, else its
    latest request, else the chain a request would get now."""
    requests = (
        ApprovalRequest.objects.filter(case=case, step=step, ref="")
        .select_related("requested_by")
        .prefetch_related("approvals__approver")
    )
    latest = (
        requests.filter(status=ApprovalStatus.APPROVED).order_by("-decided_at", "-id").first()
        or requests.order_by("-requested_at", "-id").first()
    )
    if latest is None:
        places = tuple(ChainPlace(role=role) for role in chain_for(step))
    else:
        places = chain_places(latest)
    return ChainState(step=step, label=step_label(step), request=latest, places=places)


def urgent_report_due(step: str, started_at: dt.datetime) -> dt.datetime | None:
    """When the approval of ``step`` started urgently at ``started_at`` is due, for a step
    whose law counts it in hours (None for the others: working days, R7.2)."""
    found = registry.approval_steps.get(step)
    if found is None or not found.urgent_report_rule:
        return None
    return started_at + dt.timedelta(hours=int(rules.value(found.urgent_report_rule)))


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


def overdue_paperwork(today: dt.date | None = None) -> list[ApprovalRequest]:
    """R7.2: urgent starts whose approval was not granted by the due date."""
    candidates = ApprovalRequest.objects.filter(
        paperwork_due__isnull=False,
    ).exclude(status=ApprovalStatus.APPROVED)
    return [ar for ar in candidates.select_related("case") if ar.is_overdue(today)]
