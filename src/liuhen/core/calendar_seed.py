"""What the ``chinesecalendar`` package knows: the State Council's holiday notices
(国务院办公厅关于部分节假日安排的通知) year by year, 2004 up to the latest it ships."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any


def package_days() -> Iterator[tuple[dt.date, str, str]]:
    """``(date, kind, Chinese name)`` for every holiday and make-up working day."""
    from chinese_calendar import constants

    def chinese(english: str) -> str:
        try:
            return str(constants.Holiday(english).chinese)
        except ValueError:
            return english

    for day, name in sorted(constants.holidays.items()):
        yield day, "holiday", chinese(name)
    for day, name in sorted(constants.workdays.items()):
        yield day, "workday", chinese(name)


def package_years() -> list[int]:
    """Years whose schedule the package holds in full."""
    from chinese_calendar import constants

    return sorted({day.year for day in constants.holidays})


def seed(day_model: Any = None, year_model: Any = None, *, using: str = "default") -> int:
    """Add what the package knows and the table lacks; returns the number of days added.

    Idempotent; days an administrator entered are kept. The data migration passes its
    historical models; a flushed test database is re-seeded with the current ones.
    """
    if day_model is None or year_model is None:
        from liuhen.core.models import CalendarDay, CalendarYear

        day_model, year_model = CalendarDay, CalendarYear
    existing = set(day_model.objects.using(using).values_list("date", flat=True))
    new_days = [
        day_model(date=day, kind=kind, name=name, source="package")
        for day, kind, name in package_days()
        if day not in existing
    ]
    day_model.objects.using(using).bulk_create(new_days, batch_size=500)
    known = set(year_model.objects.using(using).values_list("year", flat=True))
    year_model.objects.using(using).bulk_create(
        [
            year_model(year=year, complete=True, source="package")
            for year in package_years()
            if year not in known
        ]
    )
    return len(new_days)
