"""The dashboard's figures for a unit, an officer and a period, read from the daily figures.

One grouped query sums the period's figures per metric and dimension, one more gives the
cases opened per month; nothing here reads the raw tables. Each chart carries the rows of
its table (what a screen reader and the XLSX export read), so chart, table and export
always agree.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from liuhen.accounts.models import User
from liuhen.cases.models import Procedure, Stage
from liuhen.core import access
from liuhen.devices.models import DeviceKind
from liuhen.supervision.models import ClosedBy, DailyFigure, FiguresRefresh, Metric

if TYPE_CHECKING:
    from django.db.models import QuerySet

DIMENSIONS: dict[str, dict[str, str | Promise]] = {
    Metric.CASE_STAGE: dict(Stage.choices),
    Metric.CASE_PROCEDURE: dict(Procedure.choices),
    Metric.CASE_FIELD: {"": _("Field not given")},
    Metric.AV_COVERAGE: {"covered": _("With linked AV"), "uncovered": _("Without linked AV")},
    Metric.UPLOAD_DELAY: {
        "within_1d": _("Uploaded within 1 day"),
        "within_3d": _("Uploaded in 1 to 3 days"),
        "over_3d": _("Uploaded after more than 3 days"),
        "unknown": _("Capture time unknown"),
    },
    Metric.DOCUMENTS: {
        "complete": _("Every document finished"),
        "incomplete": _("Documents left unfinished"),
    },
    Metric.DEADLINES: {
        "on_time": _("Met on time"),
        "late": _("Met late"),
        "overdue": _("Overdue"),
        "running": _("Running"),
    },
    Metric.FINDINGS: {"open": _("Not yet closed"), **dict(ClosedBy.choices)},
    Metric.DEVICE_USE: dict(DeviceKind.choices),
}

# The article each chart serves (shown as its basis in words).
ARTICLES: dict[str, str] = {
    Metric.CASE_STAGE: "R22.1",
    Metric.CASE_PROCEDURE: "R22.1",
    Metric.CASE_FIELD: "R22.1",
    Metric.AV_COVERAGE: "R5.2",
    Metric.UPLOAD_DELAY: "R15.1",
    Metric.DOCUMENTS: "R22.1",
    Metric.DEADLINES: "R22.1",
    Metric.FINDINGS: "R23.1",
    Metric.DEVICE_USE: "R13.1",
}

PIES = (Metric.AV_COVERAGE, Metric.DOCUMENTS, Metric.FINDINGS, Metric.CASE_PROCEDURE)


@dataclass(frozen=True)
class Filters:
    start: dt.date
    end: dt.date
    unit_id: int | None = None
    officer_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "unit": self.unit_id,
            "officer": self.officer_id,
        }


@dataclass
class Row:
    key: str
    label: str
    value: int
    share: float  # per cent of the chart's total


@dataclass
class Chart:
    key: str
    title: str
    kind: str  # "bar", "pie" or "line" (ECharts series types)
    article: str
    rows: list[Row] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(row.value for row in self.rows)

    def as_data(self) -> dict[str, Any]:
        """What the page's script draws (json_script)."""
        return {
            "key": self.key,
            "title": self.title,
            "kind": self.kind,
            "labels": [row.label for row in self.rows],
            "values": [row.value for row in self.rows],
        }


def _rows(metric: str, sums: dict[str, int]) -> list[Row]:
    labels = DIMENSIONS.get(metric, {})
    ordered = [key for key in labels if key in sums] + sorted(k for k in sums if k not in labels)
    total = sum(sums.values()) or 1
    return [
        Row(
            key=key,
            label=str(labels.get(key, key)),
            value=sums[key],
            share=round(100 * sums[key] / total, 1),
        )
        for key in ordered
    ]


def _month_after(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def period_filter(start: dt.date, end: dt.date) -> Q:
    """The rows that sum to the period from ``start`` to ``end``: the months it covers
    whole, and the days of its ragged ends."""
    first_whole = start if start.day == 1 else _month_after(start)
    after_end = end + dt.timedelta(days=1)
    last_whole_end = after_end.replace(day=1)  # the whole months end before this day
    if first_whole >= last_whole_end:
        return Q(monthly=False, day__gte=start, day__lte=end)
    return (
        Q(monthly=True, day__gte=first_whole, day__lt=last_whole_end)
        | Q(monthly=False, day__gte=start, day__lt=first_whole)
        | Q(monthly=False, day__gte=last_whole_end, day__lte=end)
    )


def figures_for(user: User, filters: Filters) -> QuerySet[DailyFigure]:
    """The figures that sum to the period, that ``user`` may see: the officer's shares
    when one is chosen, else the units' own counts."""
    figures = access.visible(
        user, DailyFigure.objects.filter(period_filter(filters.start, filters.end))
    )
    if filters.officer_id is not None:
        figures = figures.filter(officer_id=filters.officer_id)
    else:
        figures = figures.filter(officer__isnull=True)
    if filters.unit_id is not None:
        figures = figures.filter(unit_id=filters.unit_id)
    return figures


def charts(user: User, filters: Filters) -> list[Chart]:
    figures = figures_for(user, filters)
    sums: dict[str, dict[str, int]] = defaultdict(dict)
    for row in figures.values("metric", "dimension").annotate(total=Sum("value")):
        sums[row["metric"]][row["dimension"]] = row["total"]
    result = [_monthly(figures)]
    for metric in Metric:
        kind = "pie" if metric in PIES else "bar"
        result.append(
            Chart(
                key=metric.value,
                title=str(metric.label),
                kind=kind,
                article=ARTICLES[metric],
                rows=_rows(metric, sums.get(metric, {})),
            )
        )
    return result


def _monthly(figures: QuerySet[DailyFigure]) -> Chart:
    # Each case has one procedure: the procedure figures count every case once.
    months = (
        figures.filter(metric=Metric.CASE_PROCEDURE)
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(total=Sum("value"))
        .order_by("month")
    )
    sums = {f"{row['month']:%Y-%m}": row["total"] for row in months}
    return Chart(
        key="cases_by_month",
        title=str(_("Cases opened per month")),
        kind="line",
        article="R22.1",
        rows=_rows("cases_by_month", sums),
    )


def officers_for(user: User, unit_id: int | None) -> list[tuple[int, str]]:
    """The officers with figures ``user`` may see (of ``unit_id`` when given)."""
    figures = access.visible(user, DailyFigure.objects.filter(monthly=True, officer__isnull=False))
    if unit_id is not None:
        figures = figures.filter(unit_id=unit_id)
    ids = set(figures.values_list("officer_id", flat=True).distinct())
    people = User.objects.filter(pk__in=ids).order_by("full_name", "pk")
    return [(person.pk, person.display_name) for person in people]


def last_refresh() -> FiguresRefresh | None:
    return FiguresRefresh.objects.order_by("-finished_at").first()
