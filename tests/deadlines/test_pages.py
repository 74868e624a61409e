"""Deadline lists and the case-page section: access both ways, constant queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liuhen.core.models import AuditEvent, Outcome
from tests.factories import CaseFactory, sign_in

pytestmark = pytest.mark.django_db


def _recent() -> dt.date:
    # Opened 80 days ago: the 90-day decision clock is running (due soon or not, open).
    return timezone.localdate() - dt.timedelta(days=80)


@pytest.fixture
def recent_case_a(case_opened, officer_wang):
    return case_opened(_recent(), number="洼农（农药）立〔2026〕101号")


@pytest.fixture
def recent_case_b(case_opened, unit_b, officer_li):
    return case_opened(
        _recent(), unit=unit_b, officers=[officer_li], number="洼农（兽药）立〔2026〕202号"
    )


def test_officer_sees_the_clocks_of_own_cases_only(
    client, recent_case_a, recent_case_b, officer_wang
) -> None:
    client.force_login(officer_wang)
    response = client.get("/deadlines/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "洼农（农药）立〔2026〕101号" in html
    assert "洼农（兽药）立〔2026〕202号" not in html
    assert 'data-clock="decision"' in html
    assert 'data-testid="unit-link"' not in html  # the unit list is for heads


def test_unit_head_is_offered_the_unit_list(client, recent_case_a, head_zhang) -> None:
    client.force_login(head_zhang)
    assert 'data-testid="unit-link"' in client.get("/deadlines/").content.decode()


def test_a_colleague_does_not_see_anothers_clocks(client, recent_case_a, officer_li) -> None:
    client.force_login(officer_li)
    html = client.get("/deadlines/").content.decode()
    assert "洼农（农药）立〔2026〕101号" not in html
    assert 'data-testid="no-deadlines"' in html


@pytest.mark.parametrize("persona", ["sysadmin_zhao", "secadmin_qian", "auditor_chen"])
def test_admins_see_no_deadlines(client, recent_case_a, persona, request) -> None:
    user = request.getfixturevalue(persona)
    sign_in(client, user)
    assert client.get("/deadlines/").status_code == 403
    assert client.get("/deadlines/unit/").status_code == 403
    assert AuditEvent.objects.filter(
        action="deadline.list_own", outcome=Outcome.DENIED, actor_id=user.pk
    ).exists()


def test_unit_head_sees_own_unit_and_not_another(
    client, recent_case_a, recent_case_b, head_zhang, unit_b
):
    client.force_login(head_zhang)
    response = client.get("/deadlines/unit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "洼农（农药）立〔2026〕101号" in html and "洼农（兽药）立〔2026〕202号" not in html
    assert 'data-testid="unit-filter"' not in html  # one unit only
    assert client.get(f"/deadlines/unit/?unit={unit_b.pk}").status_code == 403
    assert AuditEvent.objects.filter(
        action="deadline.list_unit", outcome=Outcome.DENIED, object_id=str(unit_b.pk)
    ).exists()


def test_officer_may_not_open_the_unit_list(client, recent_case_a, officer_wang, unit_a) -> None:
    client.force_login(officer_wang)
    assert client.get("/deadlines/unit/").status_code == 403
    assert client.get(f"/deadlines/unit/?unit={unit_a.pk}").status_code == 403


def test_agency_head_sees_all_units_and_filters(
    client, recent_case_a, recent_case_b, agency_head_liu, unit_b
):
    client.force_login(agency_head_liu)
    html = client.get("/deadlines/unit/").content.decode()
    assert "洼农（农药）立〔2026〕101号" in html and "洼农（兽药）立〔2026〕202号" in html
    assert 'data-testid="unit-filter"' in html
    html = client.get(f"/deadlines/unit/?unit={unit_b.pk}").content.decode()
    assert "洼农（农药）立〔2026〕101号" not in html and "洼农（兽药）立〔2026〕202号" in html
    # A unit that is not there answers 404, and the attempt is audited like any denial.
    assert client.get("/deadlines/unit/?unit=999999").status_code == 404
    assert AuditEvent.objects.filter(
        action="deadline.list_unit",
        outcome=Outcome.DENIED,
        object_type="accounts.unit",
        object_id="999999",
    ).exists()
    assert client.get("/deadlines/unit/?unit=abc").status_code == 404


def test_case_page_shows_the_deadlines_section(client, recent_case_a, officer_wang) -> None:
    client.force_login(officer_wang)
    html = client.get(f"/cases/{recent_case_a.pk}/").content.decode()
    assert 'id="section-deadlines"' in html and 'data-clock="decision"' in html
    assert "作出处罚决定" in html or "决定" in html


def test_case_page_section_is_not_shown_to_whom_may_not_read_the_case(
    client, recent_case_a, officer_li
) -> None:
    client.force_login(officer_li)
    response = client.get(f"/cases/{recent_case_a.pk}/")
    assert response.status_code == 404  # the case is not there for them
    assert 'data-clock="decision"' not in response.content.decode()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/deadlines/", "/deadlines/unit/"])
def test_lists_use_a_constant_number_of_queries(
    client, head_zhang, unit_a, url, django_assert_max_num_queries
) -> None:
    def add(count: int) -> None:
        for _ in range(count):
            CaseFactory(unit=unit_a, officers=[head_zhang], opened_at=timezone.now())

    client.force_login(head_zhang)
    add(5)
    few = _queries(client, url)
    add(25)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.content.decode().count('data-clock="decision"') == 30


def _lead(unit, officer):
    from liuhen.cases.models import Lead

    return Lead.objects.create(
        source="complaint",
        received_at=timezone.now() - dt.timedelta(days=3),
        summary="群众举报某农资店销售假农药",
        unit=unit,
        recorded_by=officer,
    )


def test_leads_being_checked_are_listed_for_their_recorder_and_unit(
    client, unit_a, officer_wang, officer_li, head_zhang, agency_head_liu
) -> None:
    lead = _lead(unit_a, officer_wang)
    marker = f'data-lead="{lead.pk}"'
    client.force_login(officer_wang)
    assert marker in client.get("/deadlines/").content.decode()
    client.force_login(head_zhang)
    assert marker in client.get("/deadlines/unit/").content.decode()
    client.force_login(agency_head_liu)
    assert marker in client.get("/deadlines/unit/").content.decode()
    client.force_login(officer_li)
    assert marker not in client.get("/deadlines/").content.decode()


def test_case_page_shows_the_warning_for_a_year_without_holiday_data(
    client, case_opened, officer_wang
) -> None:
    from liuhen.cases.models import Decision

    case = case_opened(dt.date(2026, 12, 20))
    # Served within 7 working days (行政处罚法 Art. 61, 85): they run into 2027.
    Decision.objects.create(
        case=case,
        number="洼农（农药）罚〔2026〕1号",
        fine_fen=500_00,
        facts="销售假农药",
        basis="《农药管理条例》第五十五条",
        decided_by=officer_wang,
        decided_at=timezone.make_aware(dt.datetime(2026, 12, 28, 10)),
    )
    client.force_login(officer_wang)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="calendar-warning"' in html and "2027" in html


def test_case_page_says_how_late_an_overdue_clock_is(client, case_opened, officer_wang) -> None:
    from liuhen.cases import deadlines

    case = case_opened(timezone.localdate() - dt.timedelta(days=120))
    [clock] = [c for c in deadlines.clocks_for_case(case) if c.code == "decision"]
    client.force_login(officer_wang)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-status="overdue"' in html and f"逾期{clock.days_late}日" in html


def test_long_lists_are_paged_most_urgent_first(client, case_opened, head_zhang, unit_a) -> None:
    """A page holds 100 clocks; the overdue ones come first, the counts are of all."""
    from liuhen.deadlines.views import PAGE_SIZE

    overdue = case_opened(
        timezone.localdate() - dt.timedelta(days=200), number="洼农（农药）立〔2026〕900号"
    )
    for _ in range(PAGE_SIZE + 5):
        CaseFactory(unit=unit_a, officers=[head_zhang], opened_at=timezone.now())
    client.force_login(head_zhang)
    first = client.get("/deadlines/unit/").content.decode()
    assert first.count('data-clock="decision"') == PAGE_SIZE
    assert overdue.number in first and 'data-testid="deadline-pages"' in first
    assert f">{PAGE_SIZE + 5}<" in first  # the running count is of the whole list
    second = client.get("/deadlines/unit/?page=2").content.decode()
    assert second.count('data-clock="decision"') == 6 and overdue.number not in second


def test_a_running_period_reads_as_running_not_as_being_computed(
    client, case_opened, officer_wang
) -> None:
    """A period that runs shows its due date and "进行中" from the first page on; "计算中"
    ("being computed") made people reload the page to see a result."""
    case = case_opened(timezone.localdate(), number="洼农（农药）立〔2026〕103号")
    client.force_login(officer_wang)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-status="running">进行中<' in html
    assert "计算中" not in html
