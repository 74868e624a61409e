"""R16.1: a record is suggested the activities its officer was present at when it was
captured; once linked, the activity has its AV record (R5.2)."""

from __future__ import annotations

import pytest

from liuhen.activities.av import linked_av_count
from liuhen.cases import compliance
from liuhen.devices import actions as device_actions
from liuhen.media import links
from liuhen.media.actions import curation
from liuhen.media.models import AvProbe
from tests.activities.helpers import seed_types
from tests.media.linking import H, M, activity, av, case_of, hours_ago, second_officer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _types(db):
    seed_types()


@pytest.fixture
def officer_ma(unit_a):
    return second_officer(unit_a)


@pytest.fixture
def case_a(unit_a, officer_wang, officer_ma):
    return case_of(unit_a, [officer_wang, officer_ma])


@pytest.fixture
def inspection(officer_wang, officer_ma, case_a):
    """An inspection from 5 to 4 hours ago, 王明 and 马骏 present."""
    return activity(officer_wang, case_a, [officer_wang, officer_ma], hours_ago(5))


def suggested(record, **kw):
    return [s.activity for s in links.suggestions(record, **kw)]


def test_suggestion_by_officer_and_capture_time(officer_wang, inspection, case_a):
    record = av(officer_wang, officer=officer_wang, captured_at=inspection.started_at + 10 * M)
    [suggestion] = links.suggestions(record)
    assert suggestion.activity == inspection and suggestion.case == case_a
    assert suggestion.distance == 0 * M


def test_officer_from_the_ledger_and_time_from_the_file(
    custodian_zhou, officer_wang, recorder, inspection
):
    """Neither on the record: the checkout ledger at the file's own creation time says."""
    device_actions.check_out(custodian_zhou, recorder, holder=officer_wang, at=hours_ago(6))
    record = av(custodian_zhou, device=recorder)
    assert record.officer is None and record.captured_at is None
    assert suggested(record) == []  # no time yet: the probe has not run
    AvProbe.objects.create(record=record, created=inspection.started_at + 5 * M, duration=60)
    record.refresh_from_db()
    assert links.record_officer(record) == officer_wang
    assert suggested(record) == [inspection]


def test_the_slack_around_the_activity(officer_wang, inspection):
    slack = links.SUGGESTION_SLACK
    inside = [inspection.started_at - slack + M, inspection.ended_at + slack - M]
    outside = [inspection.started_at - slack - M, inspection.ended_at + slack + M]
    for when in inside:
        assert suggested(av(officer_wang, officer=officer_wang, captured_at=when)) == [inspection]
    for when in outside:
        assert suggested(av(officer_wang, officer=officer_wang, captured_at=when)) == []


def test_best_overlap_first(officer_wang, officer_ma, case_a, inspection):
    later = activity(officer_wang, case_a, [officer_wang, officer_ma], hours_ago(3.5))
    # Captured 5 minutes after the inspection ended (inside its slack), running 40 minutes
    # into the later one: the later one overlaps more.
    record = av(officer_wang, officer=officer_wang, captured_at=inspection.ended_at + 5 * M)
    assert suggested(record) == [inspection, later]  # no duration known: the closer first
    AvProbe.objects.create(record=record, duration=float(40 * 60 + 5 * 60))
    record.refresh_from_db()
    assert suggested(record) == [later, inspection]


def test_only_the_officers_own_activities(officer_wang, officer_li, unit_b, inspection):
    other = case_of(unit_b, [officer_li])
    activity(officer_li, other, [officer_li], inspection.started_at, code="other")
    record = av(officer_wang, officer=officer_wang, captured_at=inspection.started_at + 5 * M)
    assert suggested(record) == [inspection]
    mine = av(officer_li, officer=officer_li, captured_at=inspection.started_at + 5 * M)
    assert [a.case for a in suggested(mine)] == [other]


def test_suggestions_only_among_activities_the_user_may_see(officer_wang, officer_li, inspection):
    record = av(officer_wang, officer=officer_wang, captured_at=inspection.started_at)
    assert suggested(record, user=officer_wang) == [inspection]
    assert suggested(record, user=officer_li) == []


def test_no_officer_or_no_time_no_suggestion(custodian_zhou, officer_wang, inspection):
    assert suggested(av(custodian_zhou, captured_at=inspection.started_at)) == []
    assert suggested(av(officer_wang, officer=officer_wang)) == []


def test_a_linked_activity_is_no_longer_suggested(officer_wang, inspection):
    record = av(officer_wang, officer=officer_wang, captured_at=inspection.started_at)
    curation.confirm_suggestion(officer_wang, record, inspection)
    assert suggested(record) == []


def test_r5_2_finding_before_the_link_and_not_after(officer_wang, case_a, inspection):
    """The av_missing check (R5.2) counts the links through the activities app's counter."""

    def codes():
        return [f.code for f in compliance.findings_for_case(case_a)]

    assert inspection.type.needs_av
    record = av(officer_wang, officer=officer_wang, captured_at=inspection.started_at + H / 2)
    assert codes() == ["av_missing"] and linked_av_count(inspection) == 0
    link = curation.confirm_suggestion(officer_wang, record, inspection)
    assert codes() == [] and linked_av_count(inspection) == 1
    # Withdrawn (wrong activity): the activity is without AV again.
    curation.withdraw_link(officer_wang, link, reason="关联错误，非本次检查")
    assert codes() == ["av_missing"] and linked_av_count(inspection) == 0


def test_a_link_to_the_case_alone_does_not_record_the_activity(officer_wang, case_a, inspection):
    record = av(officer_wang, officer=officer_wang, captured_at=inspection.started_at)
    curation.link(officer_wang, record, case=case_a)
    assert [f.code for f in compliance.findings_for_case(case_a)] == ["av_missing"]


def test_two_records_count_once_each(officer_wang, inspection):
    for _ in range(2):
        record = av(officer_wang, officer=officer_wang, captured_at=inspection.started_at)
        curation.confirm_suggestion(officer_wang, record, inspection)
    assert links.linked_count(inspection) == 2
