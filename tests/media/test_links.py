"""R16.1: a record is suggested the activities its officer was present at when it was
captured; once linked, the activity has its AV record (R5.2)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from liuhen.activities.av import linked_av, linked_av_count
from liuhen.cases import compliance
from liuhen.devices import actions as device_actions
from liuhen.media import links
from liuhen.media.actions import curation
from liuhen.media.models import AvProbe
from tests.fixtures.clock import hours_ago
from tests.media.linking import H, M, activity, av, case_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("activity_types")]


def suggested(record, **kw):
    return [s.activity for s in links.suggestions(record, **kw)]


def test_suggestion_by_officer_and_capture_time(
    officer_wang, inspection_5h_ago, case_a_two_officers
):
    record = av(
        officer_wang, officer=officer_wang, captured_at=inspection_5h_ago.started_at + 10 * M
    )
    [suggestion] = links.suggestions(record)
    assert suggestion.activity == inspection_5h_ago and suggestion.case == case_a_two_officers
    assert suggestion.distance == 0 * M


def test_officer_from_the_ledger_and_time_from_the_file(
    custodian_zhou, officer_wang, recorder, inspection_5h_ago
):
    """Neither on the record: the checkout ledger at the file's own creation time says."""
    device_actions.check_out(custodian_zhou, recorder, holder=officer_wang, at=hours_ago(6))
    record = av(custodian_zhou, device=recorder, probed=False)
    assert record.officer is None and record.captured_at is None
    assert suggested(record) == []  # no time yet: the probe has not run
    AvProbe.objects.create(record=record, created=inspection_5h_ago.started_at + 5 * M, duration=60)
    record.refresh_from_db()
    assert links.record_officer(record) == officer_wang
    assert suggested(record) == [inspection_5h_ago]


def test_the_slack_around_the_activity(officer_wang, inspection_5h_ago):
    slack = links.SUGGESTION_SLACK
    inside = [inspection_5h_ago.started_at - slack + M, inspection_5h_ago.ended_at + slack - M]
    outside = [inspection_5h_ago.started_at - slack - M, inspection_5h_ago.ended_at + slack + M]
    for when in inside:
        assert suggested(av(officer_wang, officer=officer_wang, captured_at=when)) == [
            inspection_5h_ago
        ]
    for when in outside:
        assert suggested(av(officer_wang, officer=officer_wang, captured_at=when)) == []


def test_best_overlap_first(officer_wang, officer_ma, case_a_two_officers, inspection_5h_ago):
    later = activity(officer_wang, case_a_two_officers, [officer_wang, officer_ma], hours_ago(3.5))
    # Captured 5 minutes after the inspection ended (inside its slack), running 40 minutes
    # into the later one: the later one overlaps more.
    record = av(
        officer_wang,
        officer=officer_wang,
        captured_at=inspection_5h_ago.ended_at + 5 * M,
        probed=False,
    )
    assert suggested(record) == [inspection_5h_ago, later]  # no duration known: the closer first
    AvProbe.objects.create(record=record, duration=float(40 * 60 + 5 * 60))
    record.refresh_from_db()
    assert suggested(record) == [later, inspection_5h_ago]


def test_only_the_officers_own_activities(officer_wang, officer_li, unit_b, inspection_5h_ago):
    other = case_of(unit_b, [officer_li])
    activity(officer_li, other, [officer_li], inspection_5h_ago.started_at, code="other")
    record = av(
        officer_wang, officer=officer_wang, captured_at=inspection_5h_ago.started_at + 5 * M
    )
    assert suggested(record) == [inspection_5h_ago]
    mine = av(officer_li, officer=officer_li, captured_at=inspection_5h_ago.started_at + 5 * M)
    assert [a.case for a in suggested(mine)] == [other]


def test_suggestions_only_among_activities_the_user_may_see(
    officer_wang, officer_li, inspection_5h_ago
):
    record = av(officer_wang, officer=officer_wang, captured_at=inspection_5h_ago.started_at)
    assert suggested(record, user=officer_wang) == [inspection_5h_ago]
    assert suggested(record, user=officer_li) == []


def test_no_officer_or_no_time_no_suggestion(custodian_zhou, officer_wang, inspection_5h_ago):
    assert suggested(av(custodian_zhou, captured_at=inspection_5h_ago.started_at)) == []
    assert suggested(av(officer_wang, officer=officer_wang)) == []


def test_a_linked_activity_is_no_longer_suggested(officer_wang, inspection_5h_ago):
    record = av(officer_wang, officer=officer_wang, captured_at=inspection_5h_ago.started_at)
    curation.confirm_suggestion(officer_wang, record, inspection_5h_ago)
    assert suggested(record) == []


def test_r5_2_finding_before_the_link_and_not_after(
    officer_wang, case_a_two_officers, inspection_5h_ago
):
    """The av_missing check (R5.2) counts the links through the activities app's counter."""

    def codes():
        return [f.code for f in compliance.findings_for_case(case_a_two_officers)]

    assert inspection_5h_ago.type.needs_av
    record = av(
        officer_wang, officer=officer_wang, captured_at=inspection_5h_ago.started_at + H / 2
    )
    assert codes() == ["av_missing"] and linked_av_count(inspection_5h_ago) == 0
    link = curation.confirm_suggestion(officer_wang, record, inspection_5h_ago)
    assert codes() == [] and linked_av_count(inspection_5h_ago) == 1
    # Withdrawn (wrong activity): the activity is without AV again.
    curation.withdraw_link(officer_wang, link, reason="关联错误，非本次检查")
    assert codes() == ["av_missing"] and linked_av_count(inspection_5h_ago) == 0


def test_a_link_to_the_case_alone_does_not_record_the_activity(
    officer_wang, case_a_two_officers, inspection_5h_ago
):
    record = av(officer_wang, officer=officer_wang, captured_at=inspection_5h_ago.started_at)
    curation.link(officer_wang, record, case=case_a_two_officers)
    assert [f.code for f in compliance.findings_for_case(case_a_two_officers)] == ["av_missing"]


def test_two_records_count_once_each(officer_wang, inspection_5h_ago):
    for _ in range(2):
        record = av(officer_wang, officer=officer_wang, captured_at=inspection_5h_ago.started_at)
        curation.confirm_suggestion(officer_wang, record, inspection_5h_ago)
    assert links.linked_count(inspection_5h_ago) == 2


def test_the_activity_page_lists_its_records(client, officer_wang, officer_li, inspection_5h_ago):
    """R5.2: the activity page lists each linked record (capture time, officer, its page
    with the player), not only how many there are; a record is listed to those who see it."""
    record = av(officer_wang, officer=officer_wang, captured_at=inspection_5h_ago.started_at)
    curation.confirm_suggestion(officer_wang, record, inspection_5h_ago)
    client.force_login(officer_wang)
    html = client.get(f"/activities/{inspection_5h_ago.pk}/").content.decode()
    assert 'data-testid="activity-av-records"' in html
    assert f'href="/media/{record.pk}/"' in html
    assert officer_wang.display_name in html
    assert timezone.localtime(record.captured_at).strftime("%Y-%m-%d %H:%M:%S") in html
    rows = links.linked_count(inspection_5h_ago)
    assert rows == 1 and len(linked_av(officer_li, inspection_5h_ago)) == 0
