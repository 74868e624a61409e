"""Payment of fines (R11.1; 行政处罚法 Art. 66, 67, 72, 73): the gateway's callback, where a
notice stands, the daily surcharge, reconsideration/litigation that pauses it, and deferred
or instalment payment on approval.

The agency never takes the money (罚缴分离, Art. 67): a payment exists only as a gateway's
signed callback, recorded once per transaction. What is owed on a day is computed from the
rows (the notice, the service date of the decision, the proceedings), never stored, except
the daily figure ``PaymentNotice.surcharge_fen`` that :func:`refresh_surcharges` keeps for
lists and reports.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liuhen.cases import approvals
from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.models import ApprovalRequest, ApprovalStatus, Decision
from liuhen.core import access, audit
from liuhen.core.models import ActorType, Outcome
from liuhen.delivery import notices, payments, surcharge
from liuhen.delivery.events import PaymentEvents
from liuhen.delivery.models import (
    Deferral,
    Payment,
    PaymentNotice,
    ProceedingEnd,
    ProceedingKind,
    RemedyProceeding,
    ServiceRecord,
)
from liuhen.delivery.perms import PaymentPerms

if TYPE_CHECKING:
    from django.http import HttpRequest

# The served document whose service starts the payment period (Art. 67).
DECISION_FORM = "penalty_decision"


# --- where a notice stands --------------------------------------------------------------


class PaymentState(models.TextChoices):
    PAID = "paid", gettext_lazy("Paid")
    UNPAID = "unpaid", gettext_lazy("Unpaid")
    OVERDUE = "overdue", gettext_lazy("Overdue")
    # Art. 66: an approved deferral or instalment plan took its place.
    REPLACED = "replaced", gettext_lazy("Replaced by deferred or instalment payment")


@dataclass(frozen=True)
class PaymentStatus:
    """A notice on day ``on``. ``due_on`` None: the decision is not served yet, so nothing
    is due yet."""

    notice: PaymentNotice
    on: dt.date
    state: str
    due_on: dt.date | None
    late_days: int
    surcharge_fen: int
    paid_fen: int
    outstanding_fen: int
    pauses: list[surcharge.Pause] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(PaymentState(self.state).label)

    @property
    def paid(self) -> bool:
        return self.state == PaymentState.PAID

    @property
    def open(self) -> bool:
        """Still to be paid: neither paid nor replaced."""
        return self.state in (PaymentState.UNPAID, PaymentState.OVERDUE)


def served_on(decision: Decision) -> dt.date | None:
    """The day the decision's 行政处罚决定书 was served (the first effective service)."""
    return _served_on_by_case([decision.case_id]).get(decision.case_id)


def _served_on_by_case(case_ids: Iterable[int]) -> dict[int, dt.date]:
    rows = (
        ServiceRecord.objects.filter(
            case_id__in=list(case_ids),
            issued__form_code=DECISION_FORM,
            served_on__isnull=False,
        )
        .values("case_id")
        .annotate(first=Min("served_on"))
    )
    return {row["case_id"]: row["first"] for row in rows}


def pauses_of(decision: Decision) -> list[surcharge.Pause]:
    """Art. 73: the days reconsideration or litigation ran (an open one has no end)."""
    found = []
    for proceeding in decision.proceedings.all():
        end = getattr(proceeding, "end", None)
        found.append((proceeding.started_on, end.ended_on if end is not None else None))
    return found


def _replaced(notice: PaymentNotice) -> bool:
    return any(
        deferral.approval.status == ApprovalStatus.APPROVED for deferral in notice.deferrals.all()
    )


def _status(
    notice: PaymentNotice, on: dt.date, decision_served_on: dt.date | None
) -> PaymentStatus:
    if notice.due_on is not None:
        due: dt.date | None = notice.due_on
    elif decision_served_on is not None:
        due = surcharge.payment_due(decision_served_on)
    else:
        due = None
    pauses = pauses_of(notice.decision)
    received = [p for p in notice.payments.all() if timezone.localdate(p.paid_at) <= on]
    paid_fen = sum(p.amount_fen for p in received)
    base: dict[str, Any] = {
        "notice": notice,
        "on": on,
        "due_on": due,
        "pauses": pauses,
        "paid_fen": paid_fen,
    }
    if _replaced(notice):
        return PaymentStatus(
            state=PaymentState.REPLACED, late_days=0, surcharge_fen=0, outstanding_fen=0, **base
        )
    if received and paid_fen >= notice.amount_fen:
        # The surcharge is what was owed on the day of the (last) payment.
        paid_on = max(timezone.localdate(p.paid_at) for p in received)
        days = surcharge.late_days(due, paid_on, pauses) if due else 0
        owed = surcharge.surcharge_fen(notice.amount_fen, due, paid_on, pauses) if due else 0
        return PaymentStatus(
            state=PaymentState.PAID, late_days=days, surcharge_fen=owed, outstanding_fen=0, **base
        )
    days = surcharge.late_days(due, on, pauses) if due else 0
    owed = surcharge.surcharge_fen(notice.amount_fen, due, on, pauses) if due else 0
    late = due is not None and on > due
    return PaymentStatus(
        state=PaymentState.OVERDUE if late else PaymentState.UNPAID,
        late_days=days,
        surcharge_fen=owed,
        outstanding_fen=max(notice.amount_fen + owed - paid_fen, 0),
        **base,
    )


def _with_rows(queryset: models.QuerySet[PaymentNotice]) -> models.QuerySet[PaymentNotice]:
    return queryset.select_related("decision", "from_deferral").prefetch_related(
        "payments", "deferrals__approval", "decision__proceedings__end"
    )


def status(notice: PaymentNotice, on: dt.date | None = None) -> PaymentStatus:
    """Where ``notice`` stands on ``on`` (today): paid, unpaid, overdue or replaced; its due
    date (Art. 67: ``payment`` days after the decision was served, or the instalment's own),
    the surcharge owed (Art. 72, paused by Art. 73) and the amount outstanding."""
    fresh = _with_rows(PaymentNotice.objects.filter(pk=notice.pk)).get()
    return _status(fresh, on or timezone.localdate(), served_on(fresh.decision))


def statuses(decision: Decision, on: dt.date | None = None) -> list[PaymentStatus]:
    """Every notice of ``decision`` (the first, then instalments), in order."""
    day = on or timezone.localdate()
    served = served_on(decision)
    found = _with_rows(PaymentNotice.objects.filter(decision=decision)).order_by("created_at", "id")
    return [_status(notice, day, served) for notice in found]


# --- the gateway's callback ---------------------------------------------------------------


class CallbackRefused(Exception):
    """A verified callback we do not record (amount, notice paid or replaced, conflict)."""


class UnknownNotice(CallbackRefused):
    """The callback names no payment notice of ours."""


def _gateway_actor(name: str) -> audit.Actor:
    return audit.Actor(ActorType.SYSTEM, name, f"payment gateway: {name}")


def _notice_number_in(body: bytes) -> str:
    """The notice number a refused body claims, for the audit record (best effort)."""
    try:
        value = json.loads(body).get("notice_number", "")
    except (ValueError, AttributeError):
        return ""
    return value[:40] if isinstance(value, str) else ""


def _refuse(
    reason: str,
    *,
    actor: Any,
    remote_addr: str,
    number: str,
    notice: PaymentNotice | None = None,
    request: HttpRequest | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    # Its own transaction: the refusal is kept whatever the caller does next (R1.1).
    with transaction.atomic():
        audit.record(
            PaymentEvents.CALLBACK_REFUSED,
            actor=actor,
            request=request,
            obj=notice,
            case_id=notice.decision.case_id if notice is not None else None,
            outcome=Outcome.DENIED,
            details={
                "reason": reason,
                "remote_addr": remote_addr,
                "notice_number": number,
                **(extra or {}),
            },
        )


def receive_callback(
    body: bytes,
    headers: Mapping[str, str],
    *,
    remote_addr: str,
    request: HttpRequest | None = None,
) -> Payment:
    """Record the payment a gateway's signed callback reports (R11.1).

    Refused and audited: a forged or malformed callback (:class:`payments.ForgedCallback`,
    re-raised), an unknown notice (:class:`UnknownNotice`), an amount other than what the
    notice asks on the day paid, or a notice already paid or replaced
    (:class:`CallbackRefused`). The same transaction reported again returns the payment
    already recorded, so a gateway that retries does not pay twice.
    """
    gateway = payments.gateway()
    try:
        result = gateway.verify_callback(body, headers)
    except payments.ForgedCallback as forged:
        _refuse(
            str(forged),
            actor=audit.Actor(ActorType.ANONYMOUS, "", ""),
            remote_addr=remote_addr,
            number=_notice_number_in(body),
            request=request,
        )
        raise
    actor = _gateway_actor(gateway.name)
    with transaction.atomic():
        payment, refusal, notice = _record_payment(result, gateway.name, remote_addr, request)
    if refusal is not None:
        _refuse(
            str(refusal),
            actor=actor,
            remote_addr=remote_addr,
            number=result.notice_number,
            notice=notice,
            request=request,
            extra={"transaction_id": result.transaction_id, "amount_fen": result.amount_fen},
        )
        raise refusal
    assert payment is not None
    return payment


def _record_payment(
    result: payments.CallbackResult,
    gateway_name: str,
    remote_addr: str,
    request: HttpRequest | None,
) -> tuple[Payment | None, CallbackRefused | None, PaymentNotice | None]:
    # Lock the notice: two deliveries of one callback at once must not both record it.
    notice = (
        PaymentNotice.objects.select_for_update()
        .select_related("decision")
        .filter(number=result.notice_number)
        .first()
    )
    if notice is None:
        return None, UnknownNotice(f"no payment notice {result.notice_number}"), None
    earlier = Payment.objects.filter(transaction_id=result.transaction_id).first()
    if earlier is not None:
        if earlier.notice_id != notice.pk or earlier.amount_fen != result.amount_fen:
            return None, CallbackRefused("transaction already recorded differently"), notice
        return earlier, None, notice  # a retry: recorded once
    paid_on = timezone.localdate(result.paid_at)
    owed = status(notice, paid_on)
    if notice.payments.exists():
        return None, CallbackRefused("notice is paid already"), notice
    if not owed.open:
        return None, CallbackRefused(f"notice is {owed.state}"), notice
    if result.amount_fen != owed.outstanding_fen:
        return (
            None,
            CallbackRefused(f"amount {result.amount_fen} is not {owed.outstanding_fen} owed"),
            notice,
        )
    payment = Payment.objects.create(
        notice=notice,
        amount_fen=result.amount_fen,
        paid_at=result.paid_at,
        gateway=gateway_name,
        transaction_id=result.transaction_id,
        raw=result.raw,
    )
    # The surcharge paid with the fine is the notice's final figure.
    PaymentNotice.objects.filter(pk=notice.pk).update(
        surcharge_fen=owed.surcharge_fen, surcharge_on=paid_on
    )
    audit.record(
        PaymentEvents.PAID,
        actor=_gateway_actor(gateway_name),
        request=request,
        obj=payment,
        case_id=notice.decision.case_id,
        details={
            "notice_number": notice.number,
            "amount_fen": payment.amount_fen,
            "surcharge_fen": owed.surcharge_fen,
            "paid_at": result.paid_at.isoformat(),
            "transaction_id": payment.transaction_id,
            "gateway": gateway_name,
            "remote_addr": remote_addr,
        },
    )
    return payment, None, notice


# --- the daily surcharge ----------------------------------------------------------------


def open_notices() -> models.QuerySet[PaymentNotice]:
    """Notices neither paid nor replaced by an approved deferral."""
    return PaymentNotice.objects.filter(payments__isnull=True).exclude(
        deferrals__approval__status=ApprovalStatus.APPROVED
    )


def refresh_surcharges(on: dt.date | None = None) -> int:
    """The daily job (R11.1, Art. 72): store each open notice's surcharge as of ``on``
    (today); one audit event per run. Returns how many notices were refreshed."""
    day = on or timezone.localdate()
    found = list(_with_rows(open_notices()).order_by("id"))
    served = _served_on_by_case({notice.decision.case_id for notice in found})
    changed = 0
    with transaction.atomic():
        for notice in found:
            figure = _status(notice, day, served.get(notice.decision.case_id)).surcharge_fen
            if figure != notice.surcharge_fen or notice.surcharge_on != day:
                PaymentNotice.objects.filter(pk=notice.pk).update(
                    surcharge_fen=figure, surcharge_on=day
                )
                changed += 1
        audit.record(
            PaymentEvents.SURCHARGE,
            actor=audit.SYSTEM,
            object_type="delivery.paymentnotice",
            details={"on": day.isoformat(), "notices": len(found), "updated": changed},
        )
    return len(found)


# --- reconsideration and litigation (Art. 73) ---------------------------------------------


def _not_after_today(day: dt.date, key: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({key: [_("The date cannot be in the future.")]})


def record_proceeding(
    actor: Any,
    decision: Decision,
    kind: str,
    started_on: dt.date,
    note: str = "",
    *,
    request: HttpRequest | None = None,
) -> RemedyProceeding:
    """Record that the party applied for reconsideration or sued: the surcharge does not
    accrue from ``started_on`` until the proceeding's end is recorded (Art. 73)."""
    access.require(actor, PaymentPerms.PROCEEDING, decision, request=request)
    note = note.strip()
    if kind not in ProceedingKind.values:
        raise ValidationError({"kind": [_("Choose reconsideration or litigation.")]})
    _not_after_today(started_on, "started_on")
    if started_on < timezone.localdate(decision.decided_at):
        raise ValidationError({"started_on": [_("The date is before the decision was made.")]})
    with transaction.atomic():
        Decision.objects.select_for_update().filter(pk=decision.pk).first()
        if decision.proceedings.filter(end__isnull=True).exists():
            raise ValidationError(
                _("A reconsideration or litigation is still running: record its end first."),
                code="open",
            )
        proceeding = RemedyProceeding.objects.create(
            decision=decision, kind=kind, started_on=started_on, note=note, recorded_by=actor
        )
        audit.record(
            PaymentEvents.PROCEEDING,
            actor=actor,
            request=request,
            obj=proceeding,
            case_id=decision.case_id,
            details={"kind": kind, "started_on": started_on.isoformat(), "note": note},
        )
    return proceeding


def end_proceeding(
    actor: Any,
    proceeding: RemedyProceeding,
    ended_on: dt.date,
    outcome: str = "",
    *,
    request: HttpRequest | None = None,
) -> ProceedingEnd:
    """Record the end of a reconsideration or litigation; the surcharge accrues again from
    the next day (Art. 73)."""
    decision = proceeding.decision
    access.require(actor, PaymentPerms.PROCEEDING, decision, request=request)
    outcome = outcome.strip()
    _not_after_today(ended_on, "ended_on")
    if ended_on < proceeding.started_on:
        raise ValidationError({"ended_on": [_("The end cannot be before the start.")]})
    with transaction.atomic():
        RemedyProceeding.objects.select_for_update().filter(pk=proceeding.pk).first()
        if ProceedingEnd.objects.filter(proceeding=proceeding).exists():
            raise ValidationError(_("The end of this proceeding is recorded already."), "ended")
        end = ProceedingEnd.objects.create(
            proceeding=proceeding, ended_on=ended_on, outcome=outcome, recorded_by=actor
        )
        audit.record(
            PaymentEvents.PROCEEDING_END,
            actor=actor,
            request=request,
            obj=proceeding,
            case_id=decision.case_id,
            details={
                "kind": proceeding.kind,
                "started_on": proceeding.started_on.isoformat(),
                "ended_on": ended_on.isoformat(),
                "outcome": outcome,
            },
        )
    return end


# --- deferred or instalment payment (Art. 66) ---------------------------------------------

Instalment = tuple[dt.date, int]  # (due on, amount in fen)


def _check_instalments(instalments: list[Instalment], outstanding: int) -> None:
    if not instalments:
        raise ValidationError({"instalments": [_("Give at least one instalment.")]})
    today = timezone.localdate()
    previous: dt.date | None = None
    for due_on, amount in instalments:
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise ValidationError({"instalments": [_("Every amount must be above zero.")]})
        if due_on <= today:
            raise ValidationError({"instalments": [_("Every due date must be in the future.")]})
        if previous is not None and due_on <= previous:
            raise ValidationError(
                {"instalments": [_("The due dates must follow one another, earliest first.")]}
            )
        previous = due_on
    total = sum(amount for _due, amount in instalments)
    if total != outstanding:
        raise ValidationError(
            {
                "instalments": [
                    _("The instalments add up to ¥%(total)s; ¥%(owed)s is outstanding.")
                    % {"total": f"{total / 100:,.2f}", "owed": f"{outstanding / 100:,.2f}"}
                ]
            }
        )


def request_deferral(
    actor: Any,
    notice: PaymentNotice,
    *,
    reason: str,
    instalments: list[Instalment],
    request: HttpRequest | None = None,
) -> Deferral:
    """Ask the heads to approve deferred payment (one instalment) or payment in instalments
    of what ``notice`` asks (Art. 66); on approval new notices replace it."""
    decision = notice.decision
    access.require(actor, PaymentPerms.DEFERRAL, decision, request=request)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the party's reason.")]})
    instalments = list(instalments)
    current = status(notice)
    if not current.open:
        raise ValidationError(_("This notice is paid or replaced already."), code="state")
    _check_instalments(instalments, current.outstanding_fen)
    with transaction.atomic():
        PaymentNotice.objects.select_for_update().filter(pk=notice.pk).first()
        if Deferral.objects.filter(notice=notice, approval__status=ApprovalStatus.PENDING).exists():
            raise ValidationError(
                _("A deferral of this notice is awaiting approval already."), code="duplicate"
            )
        # About the decision: one deferral request of a decision awaits approval at a time.
        approval_request = approval_actions.request_approval_about(
            actor, decision.case, "payment_deferral", note=reason, about=decision, request=request
        )
        deferral = Deferral.objects.create(
            notice=notice,
            reason=reason,
            requested_by=actor,
            requested_at=approval_request.requested_at,
            approval=approval_request,
            instalments=[
                {"due_on": due_on.isoformat(), "amount_fen": amount}
                for due_on, amount in instalments
            ],
        )
        audit.record(
            PaymentEvents.DEFERRAL,
            actor=actor,
            request=request,
            obj=deferral,
            case_id=decision.case_id,
            details={
                "notice_number": notice.number,
                "reason": reason,
                "instalments": deferral.instalments,
                "approval": approval_request.pk,
            },
        )
    return deferral


def _deferral_approved(actor: Any, approval_request: ApprovalRequest, request: Any) -> None:
    """Art. 66: the approved plan's notices replace the original one."""
    deferral = Deferral.objects.select_related("notice__decision").get(approval=approval_request)
    decision = deferral.notice.decision
    created = [
        notices.new_notice(
            decision, int(item["amount_fen"]), dt.date.fromisoformat(item["due_on"]), deferral
        )
        for item in deferral.instalments
    ]
    audit.record(
        PaymentEvents.NOTICE,
        actor=actor,
        request=request,
        obj=deferral,
        case_id=decision.case_id,
        details={
            "replaces": deferral.notice.number,
            "notices": [
                {"number": n.number, "amount_fen": n.amount_fen, "due_on": str(n.due_on)}
                for n in created
            ],
        },
    )


# --- reading ----------------------------------------------------------------------------


def view_payments(actor: Any, decision: Decision, *, request: HttpRequest | None = None) -> None:
    """Open the payment page of a decision: allowed, or an audited denial."""
    access.require(actor, PaymentPerms.VIEW, decision, request=request)
    audit.record(PaymentEvents.VIEW, actor=actor, request=request, obj=decision)


# Art. 66: deferred or instalment payment takes effect when approved.
APPROVAL_STEPS = (
    approvals.ApprovalStep(
        "payment_deferral",
        gettext_lazy("Deferred or instalment payment (延期、分期缴纳)"),
        on_approved=_deferral_approved,
    ),
)
