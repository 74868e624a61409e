"""Where a payment notice stands (R11.1; 行政处罚法 Art. 66, 67, 72, 73): paid, unpaid,
overdue or replaced by a deferral, its due date, the surcharge owed and what is outstanding.

What is owed on a day is computed from the rows (the notice, the service date of the
decision, the proceedings), never stored, except the daily figure
``PaymentNotice.surcharge_fen`` the daily job keeps for lists and reports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy

from liuhen.cases.models import ApprovalStatus, Decision
from liuhen.delivery.models import Deferral, PaymentNotice, ServiceRecord
from liuhen.delivery.payment import surcharge
from liuhen.documents.catalog import catalog
from liuhen.documents.spec import ServiceClock


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
    return served_on_by_case([decision.case_id]).get(decision.case_id)


def _starting_payment() -> tuple[str, ...]:
    """The forms whose service starts the period to pay the fine (Art. 67)."""
    return catalog.codes_where(lambda spec: ServiceClock.PAYMENT in spec.service_clocks)


def served_on_by_case(case_ids: Iterable[int]) -> dict[int, dt.date]:
    """For each case, the day its decision was first served (cases not served: absent)."""
    rows = (
        ServiceRecord.objects.filter(
            case_id__in=list(case_ids),
            issued__form_code__in=_starting_payment(),
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


def status_on(
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


def with_rows(queryset: models.QuerySet[PaymentNotice]) -> models.QuerySet[PaymentNotice]:
    return queryset.select_related("decision", "from_deferral").prefetch_related(
        "payments", "deferrals__approval", "decision__proceedings__end"
    )


def status(notice: PaymentNotice, on: dt.date | None = None) -> PaymentStatus:
    """Where ``notice`` stands on ``on`` (today): paid, unpaid, overdue or replaced; its due
    date (Art. 67: ``payment`` days after the decision was served, or the instalment's own),
    the surcharge owed (Art. 72, paused by Art. 73) and the amount outstanding."""
    fresh = with_rows(PaymentNotice.objects.filter(pk=notice.pk)).get()
    return status_on(fresh, on or timezone.localdate(), served_on(fresh.decision))


def statuses(decision: Decision, on: dt.date | None = None) -> list[PaymentStatus]:
    """Every notice of ``decision`` (the first, then instalments), in order."""
    day = on or timezone.localdate()
    served = served_on(decision)
    found = with_rows(PaymentNotice.objects.filter(decision=decision)).order_by("created_at", "id")
    return [status_on(notice, day, served) for notice in found]


def open_notices() -> models.QuerySet[PaymentNotice]:
    """Notices neither paid nor replaced by an approved deferral."""
    return PaymentNotice.objects.filter(payments__isnull=True).exclude(
        deferrals__approval__status=ApprovalStatus.APPROVED
    )


def deferrals_of(decision: Decision) -> models.QuerySet[Deferral]:
    """The deferrals asked for the decision's notices, first to last, any state."""
    return (
        Deferral.objects.filter(notice__decision=decision)
        .select_related("approval", "notice", "requested_by")
        .order_by("requested_at", "id")
    )


def instalments_of(notice: PaymentNotice) -> models.QuerySet[PaymentNotice]:
    """The notices an approved deferral of ``notice`` made (Art. 66), by due date."""
    return PaymentNotice.objects.filter(
        from_deferral__notice=notice,
        from_deferral__approval__status=ApprovalStatus.APPROVED,
    ).order_by("due_on", "id")
