"""Disposal requests (R18.4) as their pages show them: status, the records asked for and
what became of each."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet

from liuhen.core import access
from liuhen.media.models import (
    AvDisposal,
    AvRecord,
    DisposalDecision,
    DisposalRequest,
    DisposalStatus,
)


def status_of(asked: DisposalRequest) -> DisposalStatus:
    try:
        decision = asked.decision
    except DisposalDecision.DoesNotExist:
        return DisposalStatus.PENDING
    return DisposalStatus.APPROVED if decision.approved else DisposalStatus.REJECTED


def with_status(requests: QuerySet[DisposalRequest]) -> QuerySet[DisposalRequest]:
    """Each request with its number of records and whether it is decided."""
    decisions = DisposalDecision.objects.filter(request=OuterRef("pk"))
    return (
        requests.select_related("requested_by", "decision", "decision__by")
        .annotate(record_count=Count("items"))
        .annotate(decided=Exists(decisions))
    )


def having_status(requests: QuerySet[DisposalRequest], status: str) -> QuerySet[DisposalRequest]:
    """The requests of one status (pending, approved, rejected); any other: all."""
    if status == DisposalStatus.PENDING:
        return requests.filter(decision__isnull=True)
    if status == DisposalStatus.APPROVED:
        return requests.filter(decision__approved=True)
    if status == DisposalStatus.REJECTED:
        return requests.filter(decision__approved=False)
    return requests


def with_people(records: QuerySet[AvRecord]) -> QuerySet[AvRecord]:
    """What a disposal list shows of each record, read with the page."""
    return records.select_related("blob", "unit", "officer", "device")


def rows_of(user: Any, asked: DisposalRequest) -> list[tuple[AvRecord, AvDisposal | None]]:
    """The records of the request that ``user`` may see, each with its disposal if any."""
    records = access.visible(
        user, AvRecord.objects.filter(pk__in=asked.items.values("record_id")).order_by("pk")
    )
    disposals = {d.record_id: d for d in AvDisposal.objects.filter(decision__request=asked)}
    return [(record, disposals.get(record.pk)) for record in with_people(records)]
