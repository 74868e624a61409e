"""Counting the raw tables into the daily figures (R22.1); the scheduler's work, not a page's.

Each metric is one or two grouped queries (the unit's count and the officers' shares) by
local day; only the deadline clocks are computed case by case, since they come from every
app's providers. :func:`count_figures` returns the rows, :func:`replace_figures` swaps
them in; the action ``refresh_figures`` composes both and records the refresh.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import transaction
from django.db.models import Case as Choose
from django.db.models import CharField, Count, Exists, F, OuterRef, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from liuhen.activities.models import Activity, ActivityOfficer, ActivityType
from liuhen.cases import deadlines
from liuhen.cases.models import Case
from liuhen.devices.models import EntryKind, LedgerEntry
from liuhen.documents.models import Document, DocumentStatus
from liuhen.media.models import AvLink, AvRecord
from liuhen.supervision.models import DailyFigure, Finding, Metric

Key = tuple[dt.date, int, int | None, str, str]

# Documents still being worked on: a closed case with one of these left is incomplete.
UNFINISHED_DOCUMENTS = (DocumentStatus.DRAFT, DocumentStatus.PENDING, DocumentStatus.APPROVED)
CHUNK = 2000


class Tally:
    """Figures being counted, keyed by (day, unit, officer, metric, dimension)."""

    def __init__(self) -> None:
        self.values: dict[Key, int] = defaultdict(int)

    def add_rows(
        self,
        rows: Iterable[dict[str, Any]],
        metric: str,
        *,
        unit: str = "unit_id",
        officer: str | None = None,
        dimension: str = "dim",
    ) -> None:
        for row in rows:
            day = row["day"]
            if day is None or row[unit] is None:
                continue
            who = row[officer] if officer else None
            if officer and who is None:
                continue
            self.values[(day, row[unit], who, metric, str(row[dimension] or ""))] += row["n"]

    def add(
        self, day: dt.date, unit_id: int, officer_id: int | None, metric: str, dim: str
    ) -> None:
        self.values[(day, unit_id, officer_id, metric, dim)] += 1

    def figures(self) -> Iterator[DailyFigure]:
        months: dict[Key, int] = defaultdict(int)
        for (day, unit_id, officer_id, metric, dim), value in self.values.items():
            months[(day.replace(day=1), unit_id, officer_id, metric, dim)] += value
            yield DailyFigure(
                day=day,
                unit_id=unit_id,
                officer_id=officer_id,
                metric=metric,
                dimension=dim,
                value=value,
            )
        for (day, unit_id, officer_id, metric, dim), value in months.items():
            yield DailyFigure(
                day=day,
                unit_id=unit_id,
                officer_id=officer_id,
                metric=metric,
                dimension=dim,
                value=value,
                monthly=True,
            )


def _day(field: str) -> TruncDate:
    # The local day (Asia/Shanghai): the day people say a thing happened.
    return TruncDate(field, tzinfo=timezone.get_current_timezone())


def _cases(tally: Tally) -> None:
    through = Case.officers.through
    for metric, field in (
        (Metric.CASE_STAGE, "stage"),
        (Metric.CASE_PROCEDURE, "procedure"),
        (Metric.CASE_FIELD, "field"),
    ):
        units = (
            Case.objects.annotate(day=_day("opened_at"), dim=F(field))
            .values("day", "unit_id", "dim")
            .annotate(n=Count("id"))
        )
        tally.add_rows(units, metric)
        officers = (
            through.objects.annotate(
                day=_day("case__opened_at"), dim=F(f"case__{field}"), unit_id=F("case__unit_id")
            )
            .values("day", "unit_id", "user_id", "dim")  # type: ignore[misc]
            .annotate(n=Count("id"))
        )
        tally.add_rows(officers, metric, officer="user_id")


def _documents(tally: Tally) -> None:
    unfinished = Document.objects.filter(case=OuterRef("pk"), status__in=UNFINISHED_DOCUMENTS)
    closed = Case.objects.filter(closed_at__isnull=False).annotate(
        day=_day("closed_at"),
        dim=Choose(
            When(Exists(unfinished), then=Value("incomplete")),
            default=Value("complete"),
            output_field=CharField(),
        ),
    )
    tally.add_rows(closed.values("day", "unit_id", "dim").annotate(n=Count("id")), Metric.DOCUMENTS)
    through = Case.officers.through
    unfinished_of = Document.objects.filter(
        case=OuterRef("case_id"), status__in=UNFINISHED_DOCUMENTS
    )
    shares = (
        through.objects.filter(case__closed_at__isnull=False)
        .annotate(
            day=_day("case__closed_at"),
            unit_id=F("case__unit_id"),
            dim=Choose(
                When(Exists(unfinished_of), then=Value("incomplete")),
                default=Value("complete"),
                output_field=CharField(),
            ),
        )
        .values("day", "unit_id", "user_id", "dim")  # type: ignore[misc]
        .annotate(n=Count("id"))
    )
    tally.add_rows(shares, Metric.DOCUMENTS, officer="user_id")


def av_type_ids() -> list[int]:
    """The activity types that need AV (R5.2), as the rule says today."""
    return [kind.pk for kind in ActivityType.objects.all() if kind.needs_av]


def _coverage_dim(activity: str) -> Choose:
    live = AvLink.objects.filter(activity=OuterRef(activity), unlink__isnull=True)
    return Choose(
        When(Exists(live), then=Value("covered")),
        default=Value("uncovered"),
        output_field=CharField(),
    )


def _coverage(tally: Tally) -> None:
    types = av_type_ids()
    units = (
        Activity.objects.filter(type_id__in=types)
        .annotate(day=_day("started_at"), dim=_coverage_dim("pk"))
        .values("day", "unit_id", "dim")
        .annotate(n=Count("id"))
    )
    tally.add_rows(units, Metric.AV_COVERAGE)
    officers = (
        ActivityOfficer.objects.filter(activity__type_id__in=types)
        .annotate(
            day=_day("activity__started_at"),
            unit_id=F("activity__unit_id"),
            dim=_coverage_dim("activity_id"),
        )
        .values("day", "unit_id", "officer_id", "dim")
        .annotate(n=Count("id"))
    )
    tally.add_rows(officers, Metric.AV_COVERAGE, officer="officer_id")


UPLOAD_BUCKETS = ("within_1d", "within_3d", "over_3d", "unknown")


def _uploads(tally: Tally) -> None:
    delay = Choose(
        When(captured_at__isnull=True, then=Value("unknown")),
        When(uploaded_at__lte=F("captured_at") + dt.timedelta(days=1), then=Value("within_1d")),
        When(uploaded_at__lte=F("captured_at") + dt.timedelta(days=3), then=Value("within_3d")),
        default=Value("over_3d"),
        output_field=CharField(),
    )
    rows = list(
        AvRecord.objects.annotate(day=_day("uploaded_at"), dim=delay)
        .values("day", "unit_id", "officer_id", "dim")
        .annotate(n=Count("id"))
    )
    tally.add_rows(rows, Metric.UPLOAD_DELAY)
    tally.add_rows(rows, Metric.UPLOAD_DELAY, officer="officer_id")


def _findings(tally: Tally) -> None:
    state = Choose(
        When(closure__isnull=True, then=Value("open")),
        default=F("closure__how"),
        output_field=CharField(),
    )
    rows = list(
        Finding.objects.filter(unit__isnull=False)
        .annotate(day=_day("raised_at"), dim=state)
        .values("day", "unit_id", "officer_id", "dim")
        .annotate(n=Count("id"))
    )
    tally.add_rows(rows, Metric.FINDINGS)
    tally.add_rows(rows, Metric.FINDINGS, officer="officer_id")


def _devices(tally: Tally) -> None:
    rows = list(
        LedgerEntry.objects.filter(kind=EntryKind.CHECKOUT)
        .annotate(day=_day("at"), unit_id=F("device__unit_id"), dim=F("device__kind"))
        .values("day", "unit_id", "holder_id", "dim")
        .annotate(n=Count("id"))
    )
    tally.add_rows(rows, Metric.DEVICE_USE)
    tally.add_rows(rows, Metric.DEVICE_USE, officer="holder_id")


def clock_outcome(clock: deadlines.Clock, today: dt.date) -> str:
    if clock.met_on is not None:
        return "on_time" if clock.met_on <= clock.due else "late"
    return "overdue" if clock.due < today else "running"


def _deadlines(tally: Tally) -> None:
    today = timezone.localdate()
    ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    for first in range(0, len(ids), CHUNK):
        chunk = Case.objects.filter(pk__in=ids[first : first + CHUNK]).prefetch_related("officers")
        for case in deadlines.prefetch(chunk):
            officers = [officer.pk for officer in case.officers.all()]
            for clock in deadlines.clocks_for_case(case, today=today):
                outcome = clock_outcome(clock, today)
                tally.add(clock.due, case.unit_id, None, Metric.DEADLINES, outcome)
                for officer_id in officers:
                    tally.add(clock.due, case.unit_id, officer_id, Metric.DEADLINES, outcome)


COUNTERS = (_cases, _documents, _coverage, _uploads, _findings, _devices, _deadlines)


def count_figures() -> list[DailyFigure]:
    """Every figure, counted afresh from the raw tables."""
    tally = Tally()
    for counter in COUNTERS:
        counter(tally)
    return list(tally.figures())


def replace_figures(figures: list[DailyFigure]) -> None:
    """Swap the figures in at once: a page reads either the old ones or the new ones."""
    with transaction.atomic():
        DailyFigure.objects.all().delete()
        DailyFigure.objects.bulk_create(figures, batch_size=5000)
