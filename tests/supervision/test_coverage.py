"""AV coverage from time overlap (R5, R14.1): the share of an activity's time its linked
recordings cover, and the gaps longer than the rule's threshold (不得中断)."""

from __future__ import annotations

import datetime as dt

import pytest

from liuhen.core import rules
from liuhen.supervision.coverage.activities import coverage_of
from liuhen.supervision.coverage.overlap import coverage, merge
from tests.factories import sign_in
from tests.fixtures.clock import hours_ago
from tests.supervision.helpers import M, activity, recording

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_thirty_minutes_covered_0_to_12_and_15_to_30_is_90_percent_with_one_3_minute_gap():
    result = coverage(
        T0, T0 + 30 * M, [(T0, 12 * M), (T0 + 15 * M, 15 * M)], min_gap=dt.timedelta(minutes=1)
    )
    assert result.percent == 90.0
    assert result.share == pytest.approx(0.9)
    [gap] = result.gaps
    assert (gap.start, gap.end, gap.length) == (T0 + 12 * M, T0 + 15 * M, 3 * M)


def test_overlapping_recordings_count_once_and_outside_parts_not_at_all():
    recordings = [(T0 - 10 * M, 20 * M), (T0 + 5 * M, 10 * M), (T0 + 25 * M, 20 * M)]
    result = coverage(T0, T0 + 30 * M, recordings, min_gap=dt.timedelta(minutes=1))
    # 0–15 and 25–30 covered: 20 of 30 minutes; one gap 15–25.
    assert result.covered == 20 * M and result.percent == pytest.approx(66.7)
    assert [(g.start, g.end) for g in result.gaps] == [(T0 + 15 * M, T0 + 25 * M)]


def test_a_gap_at_the_threshold_is_not_one_and_leading_and_trailing_gaps_are():
    result = coverage(T0, T0 + 30 * M, [(T0 + 2 * M, 20 * M)], min_gap=2 * M)
    assert [(g.start, g.end) for g in result.gaps] == [(T0 + 22 * M, T0 + 30 * M)]
    assert coverage(T0, T0 + 30 * M, [], min_gap=M).gaps[0].length == 30 * M
    assert coverage(T0, T0 + 30 * M, [], min_gap=M).percent == 0


def test_merge_joins_touching_intervals():
    assert merge([(T0 + 5 * M, T0 + 10 * M), (T0, T0 + 5 * M)]) == [(T0, T0 + 10 * M)]


@pytest.mark.django_db
@pytest.mark.usefixtures("activity_types")
def test_an_activity_with_linked_recordings(officer_wang, officer_ma, case_a_two_officers):
    start = hours_ago(5)
    act = activity(officer_wang, case_a_two_officers, [officer_wang, officer_ma], start, 30)
    recording(officer_wang, start, 12, link_to=act, officer=officer_wang)
    recording(officer_wang, start + 15 * M, 15, link_to=act, officer=officer_wang)
    recording(officer_wang, start + 13 * M, 1)  # not linked: does not count
    result = coverage_of(act)
    assert result.coverage.percent == 90.0 and result.recordings == 2
    assert [g.length for g in result.coverage.gaps] == [3 * M]


@pytest.mark.django_db
@pytest.mark.usefixtures("activity_types")
def test_the_threshold_is_the_rule(officer_wang, officer_ma, case_a_two_officers, monkeypatch):
    start = hours_ago(5)
    act = activity(officer_wang, case_a_two_officers, [officer_wang, officer_ma], start, 30)
    recording(officer_wang, start, 12, link_to=act, officer=officer_wang)
    recording(officer_wang, start + 15 * M, 15, link_to=act, officer=officer_wang)
    assert rules.value("av_gap_threshold_minutes") == 1
    real = rules.value
    monkeypatch.setattr(
        rules, "value", lambda key: 5 if key == "av_gap_threshold_minutes" else real(key)
    )
    assert coverage_of(act).coverage.gaps == ()


@pytest.fixture
def covered_case(officer_wang, officer_ma, case_a_two_officers, activity_types):
    start = hours_ago(5)
    act = activity(officer_wang, case_a_two_officers, [officer_wang, officer_ma], start, 30)
    recording(officer_wang, start, 12, link_to=act, officer=officer_wang)
    recording(officer_wang, start + 15 * M, 15, link_to=act, officer=officer_wang)
    return case_a_two_officers


def test_the_case_page_shows_the_coverage_and_the_gap(client, officer_wang, covered_case):
    sign_in(client, officer_wang)
    html = client.get(f"/cases/{covered_case.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content
    html = html.decode()
    assert 'data-testid="case-coverage"' in html and "90%" in html
    assert html.count('data-testid="coverage-gap"') == 1 and "3 分钟" in html


def test_the_activity_page_shows_the_coverage(client, officer_wang, covered_case):
    sign_in(client, officer_wang)
    act = covered_case.activities.get()
    html = client.get(f"/activities/{act.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-testid="activity-coverage"' in html and "90%" in html


def test_coverage_per_unit_and_officer_for_the_supervisor(client, supervisor_zheng, covered_case):
    sign_in(client, supervisor_zheng)
    response = client.get("/supervision/coverage/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="coverage-units"' in html and "90%" in html
    assert "王明" in html and "马骏" in html


def test_an_officer_may_not_open_the_coverage_register(client, officer_wang, db):
    sign_in(client, officer_wang)
    assert client.get("/supervision/coverage/").status_code == 403


def test_an_admin_role_may_not_either(client, sysadmin_zhao):
    sign_in(client, sysadmin_zhao)
    assert client.get("/supervision/coverage/").status_code == 403


def test_the_agency_head_may(client, agency_head_liu):
    sign_in(client, agency_head_liu)
    assert client.get("/supervision/coverage/").status_code == 200
