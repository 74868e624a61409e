"""The share of a span covered by recordings, as a union of intervals: pure, no database.

A recording is its capture time and its duration (from the probe); recordings that
overlap count once, a recording outside the span counts only for the part inside it.
A gap is an uncovered stretch inside the span (at its start, between recordings or at
its end) longer than the threshold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

ZERO = dt.timedelta(0)


@dataclass(frozen=True)
class Gap:
    start: dt.datetime
    end: dt.datetime

    @property
    def length(self) -> dt.timedelta:
        return self.end - self.start

    @property
    def minutes(self) -> float:
        return round(self.length.total_seconds() / 60, 1)


@dataclass(frozen=True)
class Coverage:
    start: dt.datetime
    end: dt.datetime
    covered: dt.timedelta
    gaps: tuple[Gap, ...]

    @property
    def length(self) -> dt.timedelta:
        return self.end - self.start

    @property
    def share(self) -> float:
        """0.0 … 1.0; an activity without length is covered when any recording touches it."""
        if self.length <= ZERO:
            return 1.0 if self.touched else 0.0
        return min(1.0, self.covered / self.length)

    @property
    def percent(self) -> float:
        return round(self.share * 100, 1)

    @property
    def complete(self) -> bool:
        return not self.gaps and self.share >= 1.0

    # Whether any recording reaches the span at all (decides a span of no length).
    touched: bool = False


def merge(
    intervals: Iterable[tuple[dt.datetime, dt.datetime]],
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The union of ``intervals`` as disjoint intervals in order (touching ones joined)."""
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for start, end in sorted(i for i in intervals if i[1] >= i[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def coverage(
    start: dt.datetime,
    end: dt.datetime,
    recordings: Iterable[tuple[dt.datetime, dt.timedelta]],
    *,
    min_gap: dt.timedelta,
) -> Coverage:
    """How ``recordings`` (capture time, duration) cover ``start``–``end``; gaps longer
    than ``min_gap`` are listed."""
    clipped = []
    touched = False
    for captured, duration in recordings:
        rec_start, rec_end = captured, captured + max(duration, ZERO)
        if rec_end < start or rec_start > end:
            continue
        touched = True
        clipped.append((max(rec_start, start), min(rec_end, end)))
    union = merge(clipped)
    covered = sum((b - a for a, b in union), ZERO)
    gaps: list[Gap] = []
    cursor = start
    for a, b in [*union, (end, end)]:
        if a - cursor > min_gap:
            gaps.append(Gap(cursor, a))
        cursor = max(cursor, b)
    return Coverage(start, end, covered, tuple(gaps), touched=touched)
