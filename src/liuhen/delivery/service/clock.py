"""The service deadline (R10.2, 行政处罚法 Art. 61): a form whose spec runs the clock
``ServiceClock.SERVICE`` (the penalty decision) is served within the rule ``service``
(7 working days) of its issue. Which documents were served late, for the check, the
service pages and the delivery register."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from liuhen.core import calendar
from liuhen.delivery.models import ServiceRecord
from liuhen.documents.catalog import catalog
from liuhen.documents.models import IssuedDocument
from liuhen.documents.spec import ServiceClock


def clocked_forms() -> tuple[str, ...]:
    """The codes of the forms served within the rule ``service`` after issue."""
    return catalog.codes_where(lambda spec: ServiceClock.SERVICE in spec.service_clocks)


def service_deadline(issued: IssuedDocument) -> calendar.Deadline | None:
    """When a decision must be served: the rule ``service`` (7 working days) after issue
    (行政处罚法 Art. 61); None for a form without a legal service period."""
    if ServiceClock.SERVICE not in catalog.rules_of(issued).service_clocks:
        return None
    return calendar.deadline(timezone.localdate(issued.issued_at), "service")


def _late(issued_at: dt.datetime, first_served_at: dt.datetime | None, today: dt.date) -> bool:
    due = calendar.deadline(timezone.localdate(issued_at), "service").due
    if first_served_at is None:
        return today > due
    # The officer's act (handing over, leaving, posting, sending, publishing) is what the
    # period governs; the post's transit or the notice period do not make it late.
    return timezone.localdate(first_served_at) > due


def _effective(qs: QuerySet[ServiceRecord]) -> QuerySet[ServiceRecord]:
    return qs.filter(served_on__isnull=False)


def first_service_at(issued: IssuedDocument) -> dt.datetime | None:
    """When the first service that took effect was done (None: not served)."""
    found = _effective(issued.services.all()).aggregate(first=Min("served_at"))
    return found["first"]


def is_overdue(issued: IssuedDocument, *, today: dt.date | None = None) -> bool:
    """R10.2: a decision not served within the period, or served after it. A version
    replaced by a new one is not served at all: the new version's period counts."""
    if ServiceClock.SERVICE not in catalog.rules_of(issued).service_clocks:
        return False
    if IssuedDocument.objects.filter(supersedes=issued).exists():
        return False
    return _late(issued.issued_at, first_service_at(issued), today or timezone.localdate())


def overdue_ids(issued: QuerySet[IssuedDocument], *, today: dt.date | None = None) -> set[int]:
    """The ids among ``issued`` that :func:`is_overdue` would flag, in one query."""
    today = today or timezone.localdate()
    replaced = IssuedDocument.objects.filter(supersedes=OuterRef("pk"))
    rows = (
        IssuedDocument.objects.filter(pk__in=issued.values("pk"), form_code__in=clocked_forms())
        .filter(~Exists(replaced))
        .annotate(
            first_served_at=Min("services__served_at", filter=Q(services__served_on__isnull=False))
        )
        .values_list("pk", "issued_at", "first_served_at")
    )
    return {pk for pk, issued_at, first in rows if _late(issued_at, first, today)}
