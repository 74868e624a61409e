"""Working days, statutory holidays and legal deadlines.

Counting (law.md): a period starts the day after the event — the event's own day is not
counted. Periods of "2, 3, 5, 7 days" in 行政处罚法 are working days (Art. 85): weekends
and statutory holidays are skipped, make-up working days (调休上班) count. A calendar-day,
month or year period of the party (a hearing request, payment, reconsideration, service
by public notice: ``Rule.serves``) whose last day is a rest day ends on the next working
day (民事诉讼法 Art. 85); the agency's own periods (a decision, a lead check, a seizure)
end on their last day whatever it is (``Rule.rolls_forward``). Months end on the
corresponding day, or the month's last day when there is none (民法典 Art. 202).

The holiday table (``core.CalendarDay``) is seeded from the ``chinesecalendar`` package and
extended by the system administrator for later years; a year without complete data gives
deadlines that touch it a warning. The table is held in memory (``core.confcache``).
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from liuhen.core import confcache, rules
from liuhen.core.rule_types import Kind, Rule


@dataclass(frozen=True)
class _Table:
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]  # weekend days worked instead (调休上班)
    complete_years: frozenset[int]


def _load() -> _Table:
    from liuhen.core.models import CalendarDay, CalendarYear, DayKind

    holidays: set[dt.date] = set()
    workdays: set[dt.date] = set()
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (holidays if kind == DayKind.HOLIDAY else workdays).add(day)
    years = CalendarYear.objects.filter(complete=True).values_list("year", flat=True)
    return _Table(frozenset(holidays), frozenset(workdays), frozenset(years))


def _table() -> _Table:
    return confcache.cached("calendar.table", _load)


def _working(day: dt.date, table: _Table) -> bool:
    if day in table.holidays:
        return False
    if day in table.workdays:
        return True
    return day.weekday() < 5


def is_working_day(day: dt.date) -> bool:
    """Monday–Friday unless a statutory holiday; a make-up working day 调休 is one."""
    return _working(day, _table())


def add_working_days(start: dt.date, count: int) -> dt.date:
    """The ``count``-th working day after ``start`` (``start`` itself is not counted)."""
    if count < 0:
        raise ValueError("count must not be negative")
    table = _table()
    day = start
    remaining = count
    while remaining:
        day += dt.timedelta(days=1)
        if _working(day, table):
            remaining -= 1
    return day


def next_working_day(day: dt.date) -> dt.date:
    """``day`` itself when it is a working day, else the first working day after it."""
    table = _table()
    while not _working(day, table):
        day += dt.timedelta(days=1)
    return day


def add_days(start: dt.date, count: int, *, roll_forward: bool = True) -> dt.date:
    """``count`` calendar days after ``start``; a last day that is a rest day moves to the
    next working day."""
    end = start + dt.timedelta(days=count)
    return next_working_day(end) if roll_forward else end


def add_months(start: dt.date, count: int, *, roll_forward: bool = True) -> dt.date:
    """The corresponding day ``count`` months later (month end when there is none)."""
    month_index = start.month - 1 + count
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, _stdlib_calendar.monthrange(year, month)[1])
    end = dt.date(year, month, day)
    return next_working_day(end) if roll_forward else end


def years_without_data(start: dt.date, end: dt.date) -> list[int]:
    """The years from ``start`` to ``end`` whose holiday schedule is not known in full."""
    complete = _table().complete_years
    first, last = sorted((start.year, end.year))
    return [year for year in range(first, last + 1) if year not in complete]


def has_holiday_data(year: int) -> bool:
    return year in _table().complete_years


@dataclass(frozen=True)
class Deadline:
    """A legal period computed from an event date."""

    start: dt.date
    due: dt.date
    rule: Rule
    kind: Kind
    amount: int
    years_without_data: tuple[int, ...]

    @property
    def has_holiday_data(self) -> bool:
        """False when the result may move once the holiday schedule is entered."""
        return not self.years_without_data

    @property
    def warning(self) -> str:
        if self.has_holiday_data:
            return ""
        return _(
            "No statutory holiday data for %(years)s: this date counts weekends only and "
            "may change when the holiday schedule is entered."
        ) % {"years": "、".join(str(year) for year in self.years_without_data)}

    def days_left(self, today: dt.date) -> int:
        return (self.due - today).days

    def is_overdue(self, today: dt.date) -> bool:
        return today > self.due


def deadline(start: dt.date, rule_key: str, *, extended: bool = False) -> Deadline:
    """The due date of the period ``rule_key`` that starts with an event on ``start``.

    ``extended`` adds the rule's approved extension (e.g. lead check 15 + 15 days). A
    last day on a rest day moves to the next working day only in a period that rolls
    forward (the party's, ``Rule.rolls_forward``).
    """
    rule = rules.get(rule_key)
    if rule.kind not in rules.PERIOD_KINDS:
        raise ValueError(f"rule {rule_key!r} is not a period in days, months or years")
    amount = int(rule.value)
    if extended:
        if not rule.extension_key:
            raise ValueError(f"rule {rule_key!r} has no extension")
        amount += int(rules.value(rule.extension_key))
    if rule.kind == Kind.WORKING_DAYS:
        due = add_working_days(start, amount)
        # Every day in between was judged working or not: all those years matter.
        touched_from = start + dt.timedelta(days=1) if amount else start
    else:
        if rule.kind == Kind.CALENDAR_DAYS:
            nominal = add_days(start, amount, roll_forward=False)
        else:
            months = amount * 12 if rule.kind == Kind.YEARS else amount
            nominal = add_months(start, months, roll_forward=False)
        due = next_working_day(nominal) if rule.rolls_forward else nominal
        # Only the last day can move, so only its year matters.
        touched_from = nominal
    depends_on_holidays = rule.kind == Kind.WORKING_DAYS or rule.rolls_forward
    missing = years_without_data(touched_from, due) if depends_on_holidays else []
    return Deadline(
        start=start,
        due=due,
        rule=rule,
        kind=Kind(rule.kind),
        amount=amount,
        years_without_data=tuple(missing),
    )
