"""The year's figures (年度执法全过程记录工作情况, R22.1): for the annual report and the portal.

:func:`annual_figures` sums the daily figures of a calendar year over every unit; it holds
counts only (no names), so the portal may publish it as it is.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Sum

from liuhen.supervision.models import DailyFigure, Metric
from liuhen.supervision.statistics.dashboard import DIMENSIONS


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def annual_figures(year: int) -> dict[str, Any]:
    """The figures of ``year`` (local days 1 January to 31 December), every unit together.

    ``{"year", "cases", "by_stage", "by_procedure", "by_field", "av_coverage",
    "uploads", "documents", "deadlines", "findings", "device_checkouts"}``; each ``by_…``
    and each metric's ``counts`` is a list of ``{"key", "label", "value"}``.
    """
    sums: dict[str, dict[str, int]] = defaultdict(dict)
    rows = (
        DailyFigure.objects.filter(
            monthly=True,
            officer__isnull=True,
            day__gte=dt.date(year, 1, 1),
            day__lte=dt.date(year, 12, 31),
        )
        .values("metric", "dimension")
        .annotate(total=Sum("value"))
    )
    for row in rows:
        sums[row["metric"]][row["dimension"]] = row["total"]

    def counts(metric: str) -> list[dict[str, Any]]:
        labels = DIMENSIONS.get(metric, {})
        values = sums.get(metric, {})
        keys = [key for key in labels if key in values] + sorted(set(values) - set(labels))
        return [
            {"key": key, "label": str(labels.get(key, key)), "value": values[key]} for key in keys
        ]

    def total(metric: str) -> int:
        return sum(sums.get(metric, {}).values())

    coverage = sums.get(Metric.AV_COVERAGE, {})
    documents = sums.get(Metric.DOCUMENTS, {})
    deadlines = sums.get(Metric.DEADLINES, {})
    met = deadlines.get("on_time", 0)
    judged = met + deadlines.get("late", 0) + deadlines.get("overdue", 0)
    return {
        "year": year,
        "cases": total(Metric.CASE_PROCEDURE),
        "by_stage": counts(Metric.CASE_STAGE),
        "by_procedure": counts(Metric.CASE_PROCEDURE),
        "by_field": counts(Metric.CASE_FIELD),
        "av_coverage": {
            "activities": total(Metric.AV_COVERAGE),
            "covered": coverage.get("covered", 0),
            "share": _share(coverage.get("covered", 0), total(Metric.AV_COVERAGE)),
        },
        "uploads": {"records": total(Metric.UPLOAD_DELAY), "counts": counts(Metric.UPLOAD_DELAY)},
        "documents": {
            "closed_cases": total(Metric.DOCUMENTS),
            "complete": documents.get("complete", 0),
            "share": _share(documents.get("complete", 0), total(Metric.DOCUMENTS)),
        },
        "deadlines": {
            "clocks": total(Metric.DEADLINES),
            "counts": counts(Metric.DEADLINES),
            "on_time_share": _share(met, judged),
        },
        "findings": {"raised": total(Metric.FINDINGS), "counts": counts(Metric.FINDINGS)},
        "device_checkouts": total(Metric.DEVICE_USE),
    }
