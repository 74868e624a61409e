"""A year's enforcement data 年度行政执法数据 (R12.1) from the cases the system holds:
cases opened and closed, decisions by kind of penalty, fines, and publications."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.conf import settings
from django.db.models import Count, Sum

from liuhen.cases.models import Case, Decision, PenaltyKind
from liuhen.disclosure.models import Publication, PublicationKind


def _year_range(year: int) -> tuple[dt.datetime, dt.datetime]:
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return dt.datetime(year, 1, 1, tzinfo=zone), dt.datetime(year + 1, 1, 1, tzinfo=zone)


def figures_for(year: int) -> dict[str, Any]:
    """The figures of ``year`` (local time), as counts; JSON-ready."""
    start, end = _year_range(year)
    decisions = Decision.objects.filter(decided_at__gte=start, decided_at__lt=end)
    kinds = {kind: 0 for kind in PenaltyKind.values}
    for penalty_kinds in decisions.values_list("penalty_kinds", flat=True):
        for kind in penalty_kinds or ():
            if kind in kinds:
                kinds[kind] += 1
    by_unit = (
        Case.objects.filter(opened_at__gte=start, opened_at__lt=end)
        .values("unit__name")
        .annotate(count=Count("id"))
        .order_by("unit__name")
    )
    return {
        "cases_opened": Case.objects.filter(opened_at__gte=start, opened_at__lt=end).count(),
        "cases_closed": Case.objects.filter(closed_at__gte=start, closed_at__lt=end).count(),
        "decisions": decisions.count(),
        "penalty_decisions": decisions.exclude(penalty_kinds=[]).count(),
        "fines_fen": decisions.aggregate(total=Sum("fine_fen"))["total"] or 0,
        "penalty_kinds": kinds,
        "cases_by_unit": {row["unit__name"]: row["count"] for row in by_unit},
        "publications": Publication.objects.filter(
            kind=PublicationKind.DECISION, published_at__gte=start, published_at__lt=end
        ).count(),
        "withdrawals": Publication.objects.filter(
            kind=PublicationKind.WITHDRAWAL, published_at__gte=start, published_at__lt=end
        ).count(),
    }
