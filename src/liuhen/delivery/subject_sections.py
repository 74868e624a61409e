"""The sections of a subject's page (R18.3) this app keeps: how the documents of the
subject's cases were served, and the fines with their payments and late surcharges.
Only what the viewer may see (the cases it reads). Registered by ``DeliveryConfig.ready()``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liuhen.cases.models import Decision
from liuhen.core import access
from liuhen.delivery.models import PaymentNotice, ServiceRecord
from liuhen.delivery.payment import status
from liuhen.subjects.sections import Entry, Section


def _services(user: Any, subject: Any) -> QuerySet[ServiceRecord]:
    return (
        access.visible(user, ServiceRecord.objects.filter(case__parties__subject=subject))
        .select_related("issued", "case")
        .order_by("-served_at", "-id")
    )


def _service_entry(record: ServiceRecord) -> Entry:
    return Entry(
        at=record.served_at,
        title=f"{record.issued.title} {record.issued.number}".strip(),
        detail=f"{record.get_mode_display()} · {record.recipient}",
        url=reverse("delivery:service", args=[record.pk]),
        case=record.case.number,
        facts={"mode": str(record.get_mode_display()), "recipient": record.recipient},
    )


def _payments(user: Any, subject: Any) -> list[status.PaymentStatus]:
    decisions = access.visible(user, Decision.objects.filter(case__parties__subject=subject))
    notices = status.with_rows(
        PaymentNotice.objects.filter(decision__in=decisions.values("pk"))
    ).select_related("decision__case")
    day = timezone.localdate()
    found = [
        status.status_on(notice, day, status.served_on(notice.decision))
        for notice in notices.order_by("-created_at", "-id")
    ]
    return found


def _yuan(fen: int) -> str:
    return f"{fen / 100:.2f}"


def _payment_entry(row: status.PaymentStatus) -> Entry:
    notice = row.notice
    return Entry(
        at=notice.created_at,
        title=notice.number,
        detail=f"{row.label} · {_yuan(notice.amount_fen)}",
        url=reverse("delivery:payments", args=[notice.decision_id]),
        case=notice.decision.case.number,
        facts={
            "amount_yuan": _yuan(notice.amount_fen),
            "surcharge_yuan": _yuan(row.surcharge_fen),
            "paid_yuan": _yuan(row.paid_fen),
            "outstanding_yuan": _yuan(row.outstanding_fen),
            "state": row.label,
        },
    )


SERVICE_SECTION = Section(
    "services",
    _("Service records"),
    "delivery/subject_services.html",
    order=50,
    rows=_services,
    entry=_service_entry,
)
PAYMENT_SECTION = Section(
    "payments",
    _("Payments and surcharges"),
    "delivery/subject_payments.html",
    order=55,
    rows=_payments,
    entry=_payment_entry,
)
