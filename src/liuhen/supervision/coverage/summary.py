"""AV coverage per unit and per officer over a period (R22.1, R14.1): the activities that
need AV, their time and the time their recordings cover."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from liuhen.supervision.coverage.activities import ActivityCoverage

ZERO = dt.timedelta(0)


@dataclass
class Row:
    key: int
    name: str
    activities: int = 0
    length: dt.timedelta = ZERO
    covered: dt.timedelta = ZERO
    with_gaps: int = 0
    uncovered: int = 0  # activities no recording covers at all

    @property
    def percent(self) -> float:
        if self.length <= ZERO:
            return 100.0 if self.activities and not self.uncovered else 0.0
        return round(100 * min(1.0, self.covered / self.length), 1)

    def add(self, item: ActivityCoverage) -> None:
        self.activities += 1
        self.length += item.coverage.length
        self.covered += item.coverage.covered
        self.with_gaps += 1 if item.coverage.gaps else 0
        self.uncovered += 1 if item.coverage.share == 0 else 0


def per_unit(items: Iterable[ActivityCoverage]) -> list[Row]:
    rows: dict[int, Row] = {}
    for item in items:
        unit = item.activity.unit
        rows.setdefault(unit.pk, Row(unit.pk, unit.name)).add(item)
    return sorted(rows.values(), key=lambda row: (row.percent, row.name))


def per_officer(items: Iterable[ActivityCoverage]) -> list[Row]:
    rows: dict[int, Row] = {}
    for item in items:
        for officer in item.activity.officers.all():
            rows.setdefault(officer.pk, Row(officer.pk, officer.display_name)).add(item)
    return sorted(rows.values(), key=lambda row: (row.percent, row.name))
