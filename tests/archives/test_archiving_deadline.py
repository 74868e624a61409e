"""R18.1: a closed case is archived "in time": the archiving clock runs from closing, and a
case archived late (or not yet archived when the period has run out) shows a finding."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from liuhen.archives.clocks import archiving_clock
from liuhen.cases import deadlines
from liuhen.cases.compliance import findings_for_case
from liuhen.core import rules
from tests.factories import CaseFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.local_dates,
    pytest.mark.usefixtures("local_midday"),
]


def _closed(unit, days_ago: int, archived_days_ago: int | None = None):
    now = timezone.now()
    archived = now - dt.timedelta(days=archived_days_ago) if archived_days_ago is not None else None
    return CaseFactory(
        unit=unit,
        closed_at=now - dt.timedelta(days=days_ago),
        archived_at=archived,
        closing_condition="executed",
    )


def _late(case) -> list:
    return [f for f in findings_for_case(case) if f.code == "archiving_late"]


def test_the_clock_runs_from_closing_until_archived(unit_a) -> None:
    case = _closed(unit_a, days_ago=3)
    clock = archiving_clock(case)
    assert clock is not None
    assert clock.due == timezone.localdate(case.closed_at) + dt.timedelta(
        days=rules.value("archiving_period")
    )
    assert any(c.code == "archiving" for c in deadlines.clocks_for_case(case))
    assert archiving_clock(CaseFactory(unit=unit_a)) is None  # an open case has none


def test_within_the_period_there_is_no_finding(unit_a) -> None:
    assert _late(_closed(unit_a, days_ago=5)) == []
    assert _late(_closed(unit_a, days_ago=60, archived_days_ago=40)) == []


@pytest.mark.finding_kind("archiving_late")
def test_not_archived_after_the_period_is_a_finding(unit_a) -> None:
    found = _late(_closed(unit_a, days_ago=45))
    assert len(found) == 1
    assert found[0].article == "R18.1" and not found[0].blocking
    assert "15" in str(found[0].message)


def test_archived_after_the_period_is_a_finding(unit_a) -> None:
    found = _late(_closed(unit_a, days_ago=60, archived_days_ago=20))
    assert len(found) == 1
    assert "10" in str(found[0].message)
