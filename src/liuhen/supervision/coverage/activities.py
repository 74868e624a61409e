"""The AV coverage of activities from their linked recordings (R5, R14.1): one query for
any number of activities, then the interval union of ``overlap``.

A recording's span is its capture time (the record's, else the file's own) and the
duration the probe read; a recording without either is counted as "time unknown" and
covers nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from liuhen.activities.models import Activity
from liuhen.core import rules
from liuhen.media.links import current_links
from liuhen.supervision.coverage.overlap import Coverage, coverage


@dataclass(frozen=True)
class ActivityCoverage:
    activity: Activity
    coverage: Coverage
    recordings: int  # linked recordings counted
    unknown: int  # linked recordings without capture time or duration


def gap_threshold() -> dt.timedelta:
    return dt.timedelta(minutes=rules.value("av_gap_threshold_minutes"))


def needing_av(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """Activities of types that must be recorded on AV (R5.1)."""
    codes = rules.value("av_required_activity_types")
    return activities.filter(Q(type__needs_av_extra=True) | Q(type__code__in=codes))


def _spans(
    activity_ids: list[int],
) -> tuple[dict[int, list[tuple[dt.datetime, dt.timedelta]]], dict[int, int]]:
    spans: dict[int, list[tuple[dt.datetime, dt.timedelta]]] = defaultdict(list)
    unknown: dict[int, int] = defaultdict(int)
    rows = (
        current_links()
        .filter(activity_id__in=activity_ids)
        .values_list(
            "activity_id",
            "record_id",
            "record__captured_at",
            "record__probe__created",
            "record__probe__duration",
        )
        .distinct()
    )
    for activity_id, _record, captured, created, seconds in rows:
        when = captured or created
        if when is None or not seconds:
            unknown[activity_id] += 1
            continue
        spans[activity_id].append((when, dt.timedelta(seconds=float(seconds))))
    return spans, unknown


def coverages(activities: Iterable[Activity]) -> list[ActivityCoverage]:
    """The coverage of each activity, in the order given."""
    activities = list(activities)
    spans: dict[int, list[tuple[dt.datetime, dt.timedelta]]] = {}
    unknown: dict[int, int] = {}
    min_gap = gap_threshold()
    ids = [activity.pk for activity in activities]
    for chunk in range(0, len(ids), 500):
        found, missing = _spans(ids[chunk : chunk + 500])
        spans.update(found)
        unknown.update(missing)
    return [
        ActivityCoverage(
            activity=activity,
            coverage=coverage(
                activity.started_at, activity.ended_at, spans.get(activity.pk, []), min_gap=min_gap
            ),
            recordings=len(spans.get(activity.pk, [])),
            unknown=unknown.get(activity.pk, 0),
        )
        for activity in activities
    ]


def coverage_of(activity: Activity) -> ActivityCoverage:
    return coverages([activity])[0]
