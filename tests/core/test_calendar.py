"""The working-day calendar (行政处罚法 Art. 85; 民事诉讼法 Art. 85) and its holiday table.

2026 dates follow the State Council notice 国办发明电〔2025〕7号 as the chinesecalendar
package encodes it: Spring Festival Feb 15–23 with make-up working days Sat Feb 14 and
Sat Feb 28; Mid-Autumn Sep 25–27; National Day Oct 1–7 with make-up working days
Sun Sep 20 and Sat Oct 10.
"""

from __future__ import annotations

import datetime as dt

import pytest
from chinese_calendar import constants

from liuhen.core import calendar, registry
from liuhen.core.actions import configuration
from liuhen.core.calendar_seed import package_years, seed
from liuhen.core.models import AuditEvent, CalendarDay, CalendarYear, DayKind
from liuhen.core.rule_types import ROLLING_KINDS, Kind, Rule, Serves

D = dt.date
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signing_key_file")]


def test_the_seed_holds_what_the_package_knows() -> None:
    assert CalendarDay.objects.filter(kind=DayKind.HOLIDAY).count() == len(constants.holidays)
    assert CalendarDay.objects.filter(kind=DayKind.WORKDAY).count() == len(constants.workdays)
    assert sorted(CalendarYear.objects.filter(complete=True).values_list("year", flat=True)) == (
        package_years()
    )
    assert 2026 in package_years() and 2027 not in package_years()
    assert seed() == 0  # idempotent


def test_spring_festival_2026() -> None:
    holidays = [D(2026, 2, day) for day in range(15, 24)]
    assert all(day in constants.holidays for day in holidays)  # the package agrees
    assert not any(calendar.is_working_day(day) for day in holidays)
    # Make-up working days are Saturdays that are worked.
    for day in (D(2026, 2, 14), D(2026, 2, 28)):
        assert day.weekday() == 5 and day in constants.workdays
        assert calendar.is_working_day(day)
    assert calendar.is_working_day(D(2026, 2, 24))  # Tuesday after the holiday
    assert not calendar.is_working_day(D(2026, 3, 1))  # an ordinary Sunday
    assert CalendarDay.objects.get(date=D(2026, 2, 16)).name == "春节"


def test_working_days_across_spring_festival() -> None:
    # Notice served on Thu Feb 12: Fri 13 (1), Sat 14 make-up (2), then the holiday,
    # Tue 24 (3), Wed 25 (4), Thu 26 (5).
    assert calendar.add_working_days(D(2026, 2, 12), 5) == D(2026, 2, 26)
    assert calendar.add_working_days(D(2026, 2, 12), 2) == D(2026, 2, 14)
    # From Fri Feb 27: Sat 28 is a make-up working day and counts.
    assert calendar.add_working_days(D(2026, 2, 27), 1) == D(2026, 2, 28)
    assert calendar.add_working_days(D(2026, 2, 27), 0) == D(2026, 2, 27)
    with pytest.raises(ValueError):
        calendar.add_working_days(D(2026, 2, 27), -1)


def test_national_day_and_mid_autumn_2026() -> None:
    assert all(D(2026, 10, day) in constants.holidays for day in range(1, 8))
    assert not calendar.is_working_day(D(2026, 9, 25))  # Mid-Autumn (Friday)
    assert calendar.is_working_day(D(2026, 9, 20))  # Sunday, make-up working day
    assert calendar.is_working_day(D(2026, 10, 10))  # Saturday, make-up working day
    assert not calendar.is_working_day(D(2026, 10, 7))  # last day of the holiday
    assert calendar.is_working_day(D(2026, 10, 8))  # Thursday after it


def test_working_days_across_national_day() -> None:
    # Decision served Wed Sep 30; 7 working days: Oct 8 Thu (1), 9 Fri (2), 10 Sat make-up
    # (3), 12 Mon (4), 13 (5), 14 (6), 15 (7).
    assert calendar.add_working_days(D(2026, 9, 30), 7) == D(2026, 10, 15)
    # From Thu Sep 24: Sep 25–27 Mid-Autumn, Mon 28 (1), Tue 29 (2), Wed 30 (3), Oct 8 (4).
    assert calendar.add_working_days(D(2026, 9, 24), 4) == D(2026, 10, 8)


def test_add_days_rolls_forward_off_rest_days() -> None:
    # 15 calendar days from Sep 18 end on Sat Oct 3, inside the holiday: next working day.
    assert calendar.add_days(D(2026, 9, 18), 15) == D(2026, 10, 8)
    assert calendar.add_days(D(2026, 9, 18), 15, roll_forward=False) == D(2026, 10, 3)
    # Ending on a make-up Saturday: it is a working day, no roll.
    assert calendar.add_days(D(2026, 2, 13), 15) == D(2026, 2, 28)
    # Ending on an ordinary Sunday: Monday.
    assert calendar.add_days(D(2026, 3, 1), 14) == D(2026, 3, 16)
    assert calendar.add_months(D(2026, 8, 31), 6) == D(2027, 3, 1)  # Feb 28 2027 is Sunday
    assert calendar.add_months(D(2026, 8, 31), 6, roll_forward=False) == D(2027, 2, 28)


def test_deadline_uses_the_rule_and_its_counting_kind() -> None:
    service = calendar.deadline(D(2026, 9, 30), "service")
    assert service.due == D(2026, 10, 15)
    assert service.kind == "working_days" and service.amount == 7
    assert service.has_holiday_data and service.warning == ""
    payment = calendar.deadline(D(2026, 9, 18), "payment")
    assert payment.due == D(2026, 10, 8) and payment.kind == "calendar_days"
    lead = calendar.deadline(D(2026, 9, 1), "lead_check", extended=True)
    # Oct 1 is a holiday, but the lead check is the agency's own period: it does not move.
    assert lead.amount == 30 and lead.due == D(2026, 10, 1)
    assert payment.is_overdue(D(2026, 10, 9)) and not payment.is_overdue(D(2026, 10, 8))
    assert payment.days_left(D(2026, 10, 1)) == 7
    with pytest.raises(ValueError):
        calendar.deadline(D(2026, 9, 1), "payment", extended=True)
    with pytest.raises(ValueError):
        calendar.deadline(D(2026, 9, 1), "simple_procedure_max_fine_person")


def test_only_the_partys_periods_roll_forward_off_a_rest_day() -> None:
    """民事诉讼法 Art. 85 (law.md): the last day of a period the law gives the party (to pay,
    to apply for reconsideration or sue, before service by public notice takes effect)
    that falls on a rest day moves to the next working day; the agency's own periods (a
    decision, a lead check, a seizure) end on their last day (R2.1)."""
    # Sun May 31 2026: 90 days after Mon Mar 2; 15 days after Sat May 16.
    assert calendar.deadline(D(2026, 3, 2), "decision_deadline").due == D(2026, 5, 31)
    assert calendar.deadline(D(2026, 5, 16), "payment").due == D(2026, 6, 1)
    # Sat Oct 3 2026, in the National Day holiday: six months after Apr 3.
    assert calendar.deadline(D(2026, 4, 3), "decision_deadline_agriculture").due == D(2026, 10, 3)
    assert calendar.deadline(D(2026, 4, 3), "litigation").due == D(2026, 10, 8)
    assert calendar.deadline(D(2026, 9, 3), "seizure_days").due == D(2026, 10, 3)
    assert calendar.deadline(D(2026, 8, 4), "reconsideration").due == D(2026, 10, 8)

    # Every calendar-day, month or year period of the catalogue, by whose it is.
    for rule in registry.rules.values():
        if rule.kind not in ROLLING_KINDS:
            continue
        start, nominal = _ending_on_a_rest_day(rule)
        due = calendar.deadline(start, rule.key).due
        if rule.serves == Serves.PARTY:
            assert due == calendar.next_working_day(nominal) != nominal, rule.key
        else:
            assert due == nominal, rule.key


def _ending_on_a_rest_day(rule: Rule) -> tuple[dt.date, dt.date]:
    """A start in 2026 whose period under ``rule`` nominally ends on a rest day."""
    amount = int(rule.default)
    months = amount * 12 if rule.kind == Kind.YEARS else amount
    start = D(2026, 1, 1)
    while True:
        if rule.kind == Kind.CALENDAR_DAYS:
            nominal = calendar.add_days(start, amount, roll_forward=False)
        else:
            nominal = calendar.add_months(start, months, roll_forward=False)
        if not calendar.is_working_day(nominal):
            return start, nominal
        start += dt.timedelta(days=1)


def test_a_2027_deadline_warns_about_missing_holiday_data() -> None:
    # The party's 60 days to apply for reconsideration end on Mon Mar 1 2027, which may
    # yet be a holiday: the date can move.
    remedy = calendar.deadline(D(2026, 12, 31), "reconsideration")
    assert remedy.due == D(2027, 3, 1)
    assert not remedy.has_holiday_data
    assert remedy.years_without_data == (2027,)
    assert "2027" in remedy.warning
    assert calendar.years_without_data(D(2026, 1, 1), D(2028, 1, 1)) == [2027, 2028]
    # A period wholly inside 2026 does not warn.
    assert calendar.deadline(D(2026, 3, 2), "reconsideration").has_holiday_data
    # The agency's own periods do not roll forward, so holidays cannot move them.
    assert calendar.deadline(D(2026, 12, 1), "decision_deadline").has_holiday_data
    assert calendar.deadline(D(2026, 3, 2), "limitation_years").has_holiday_data


def test_admin_entered_2027_holiday_changes_the_result(sysadmin_zhao) -> None:
    # Wed Dec 30 2026 + 2 working days: Thu 31, then Fri Jan 1 2027 (no 2027 data yet).
    before = calendar.deadline(D(2026, 12, 30), "urgent_start_paperwork")
    assert before.due == D(2027, 1, 1) and not before.has_holiday_data
    days_before = set(CalendarDay.objects.values_list("date", "kind"))

    configuration.set_calendar_day(
        sysadmin_zhao, D(2027, 1, 1), DayKind.HOLIDAY, "元旦", "国务院2027年节假日安排通知"
    )
    after = calendar.deadline(D(2026, 12, 30), "urgent_start_paperwork")
    assert after.due == D(2027, 1, 4)  # Fri Jan 1 holiday, then the weekend
    assert not after.has_holiday_data  # 2027 is not marked complete yet
    # Nothing else was removed or changed.
    assert set(CalendarDay.objects.values_list("date", "kind")) == days_before | {
        (D(2027, 1, 1), DayKind.HOLIDAY)
    }
    assert not CalendarYear.objects.get(year=2027).complete

    configuration.set_year_complete(sysadmin_zhao, 2027, True, "2027 schedule entered")
    assert calendar.deadline(D(2026, 12, 30), "urgent_start_paperwork").has_holiday_data

    configuration.set_calendar_day(
        sysadmin_zhao, D(2027, 2, 20), DayKind.WORKDAY, "春节", "调休上班"
    )
    assert calendar.is_working_day(D(2027, 2, 20))  # a Saturday worked

    configuration.remove_calendar_day(sysadmin_zhao, D(2027, 1, 1), "entered by mistake")
    assert calendar.deadline(D(2026, 12, 30), "urgent_start_paperwork").due == D(2027, 1, 1)
    actions = list(
        AuditEvent.objects.filter(action__startswith="calendar.").values_list("action", flat=True)
    )
    assert actions == [
        "calendar.day_set",
        "calendar.year_set",
        "calendar.day_set",
        "calendar.day_remove",
    ]


def test_calendar_changes_are_validated(sysadmin_zhao) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        configuration.set_calendar_day(sysadmin_zhao, D(2027, 1, 1), DayKind.HOLIDAY, "元旦", " ")
    with pytest.raises(ValidationError):  # a make-up working day is a weekend day
        configuration.set_calendar_day(sysadmin_zhao, D(2027, 1, 4), DayKind.WORKDAY, "", "x")
    with pytest.raises(ValidationError):
        configuration.remove_calendar_day(sysadmin_zhao, D(2027, 6, 1), "not there")
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_another_process_change_is_seen() -> None:
    """A day written by another process (no signal here) shows up after the version check."""
    assert calendar.is_working_day(D(2027, 5, 3))
    CalendarDay.objects.bulk_create(  # bulk_create sends no signal, like another process
        [CalendarDay(date=D(2027, 5, 3), kind=DayKind.HOLIDAY, name="劳动节", source="admin")]
    )
    from liuhen.core import confcache

    confcache._state.checked_at = float("-inf")  # the check interval has passed
    assert not calendar.is_working_day(D(2027, 5, 3))


def test_deadlines_are_cheap(django_assert_max_num_queries) -> None:
    calendar.deadline(D(2026, 1, 5), "service")  # warm the cache: holidays and rules
    with django_assert_max_num_queries(0):
        for day in range(1, 200):
            calendar.deadline(D(2026, 1, 1) + dt.timedelta(days=day), "service")
            calendar.deadline(D(2026, 1, 1) + dt.timedelta(days=day), "decision_deadline")


@pytest.mark.django_db(transaction=True)
def test_a_flushed_test_database_keeps_the_holidays() -> None:
    """Browser tests flush every table; the seeded holidays come back as migrate left them."""
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    assert CalendarDay.objects.count() == len(constants.holidays) + len(constants.workdays)
    assert not calendar.is_working_day(D(2026, 10, 1))
