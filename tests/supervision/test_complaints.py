"""Complaint replay (R22.4): footage suggested by time, place and officer; the supervisor
links it and records the replay; a substantiated complaint raises a finding; the ledger's
export is audited; only supervisors (and the agency head, reading) reach complaints."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from liuhen.core.models import AuditEvent
from liuhen.devices import actions as device_actions
from liuhen.media.actions import curation
from liuhen.supervision.actions import complaints as actions
from liuhen.supervision.complaints import suggest
from liuhen.supervision.events import ComplaintEvents
from liuhen.supervision.models import ComplaintReplay, Finding, ReplayOutcome
from liuhen.supervision.perms import ComplaintPerms
from tests.factories import SYSTEM, denial, sign_in
from tests.fixtures.clock import hours_ago
from tests.media.linking import av

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("activity_types", "blob_root")]


@pytest.fixture
def complaint_about_wang(supervisor_zheng, officer_wang):
    """A hotline complaint: 王明 was rude at the farm shop between 3 and 1 hours ago."""
    return actions.record_complaint(
        supervisor_zheng,
        channel="hotline",
        complainant="赵某",
        contact="13800000000",
        received_at=hours_ago(0.5),
        occurred_from=hours_ago(3),
        occurred_to=hours_ago(1),
        place="某农资店",
        summary="执法人员态度粗暴，未出示证件。",
        officers=[officer_wang],
    )


@pytest.fixture
def footage_around_complaint(officer_wang, officer_ma, officer_li, inspection, recorder_a):
    """Records: 王明's own in the time named; 马骏's linked to the inspection at the shop;
    one from a recorder checked out to 王明; 王明's from ten hours ago; 李强's of unit B."""
    device_actions.check_out(SYSTEM, recorder_a, holder=officer_wang, at=hours_ago(4))
    place = av(officer_ma, captured_at=hours_ago(2), name="ma.mp4")
    curation.link(officer_ma, place, activity=inspection)
    return {
        "officer": av(officer_wang, captured_at=hours_ago(2.5), name="wang.mp4"),
        "place": place,
        "device": av(SYSTEM, captured_at=hours_ago(1.5), device=recorder_a, name="dsj.mp4"),
        "earlier": av(officer_wang, captured_at=hours_ago(10), name="old.mp4"),
        "other_unit": av(officer_li, captured_at=hours_ago(2), name="li.mp4"),
    }


def test_footage_is_suggested_by_time_place_and_officer(
    supervisor_zheng, complaint_about_wang, footage_around_complaint
):
    found = {
        s.record.pk: s.reasons for s in suggest.suggest(supervisor_zheng, complaint_about_wang)
    }
    records = footage_around_complaint
    assert "officer" in found[records["officer"].pk]
    assert "place" in found[records["place"].pk]
    assert "officer" in found[records["device"].pk]
    assert records["earlier"].pk not in found  # outside the time named
    assert records["other_unit"].pk not in found  # no officer, place or unit named


def test_linked_footage_is_no_longer_suggested(
    supervisor_zheng, complaint_about_wang, footage_around_complaint
):
    record = footage_around_complaint["officer"]
    actions.confirm_footage(supervisor_zheng, complaint_about_wang, [record], suggested=[record.pk])
    footage = complaint_about_wang.footage.get()
    assert footage.record == record and footage.suggested
    found = {s.record.pk for s in suggest.suggest(supervisor_zheng, complaint_about_wang)}
    assert record.pk not in found


@pytest.mark.finding_kind("complaint_substantiated")
def test_substantiated_replay_raises_a_finding(
    supervisor_zheng, officer_wang, unit_a, complaint_about_wang, footage_around_complaint
):
    record = footage_around_complaint["officer"]
    actions.confirm_footage(supervisor_zheng, complaint_about_wang, [record])
    replay = actions.record_replay(
        supervisor_zheng,
        complaint_about_wang,
        outcome=ReplayOutcome.SUBSTANTIATED,
        notes="录像显示执法人员未出示证件，语言生硬。",
    )
    finding = replay.finding
    assert finding is not None
    assert (finding.kind, finding.article, finding.unit, finding.officer) == (
        "complaint_substantiated",
        "R22.4",
        unit_a,
        officer_wang,
    )
    assert finding.evidence[0]["object_id"] == str(record.pk)
    event = AuditEvent.objects.get(action=ComplaintEvents.REPLAY)
    assert event.details["outcome"] == "substantiated"


def test_unsubstantiated_replay_raises_none(
    supervisor_zheng, complaint_about_wang, footage_around_complaint
):
    actions.confirm_footage(
        supervisor_zheng, complaint_about_wang, [footage_around_complaint["officer"]]
    )
    replay = actions.record_replay(
        supervisor_zheng,
        complaint_about_wang,
        outcome=ReplayOutcome.NOT_SUBSTANTIATED,
        notes="录像显示执法人员出示了证件，用语规范。",
    )
    assert replay.finding is None
    assert not Finding.objects.exists()


def test_replay_needs_footage_and_happens_once(
    supervisor_zheng, complaint_about_wang, footage_around_complaint
):
    with pytest.raises(ValidationError, match="先关联"):
        actions.record_replay(
            supervisor_zheng, complaint_about_wang, outcome="partly", notes="部分属实。"
        )
    actions.confirm_footage(
        supervisor_zheng, complaint_about_wang, [footage_around_complaint["officer"]]
    )
    actions.record_replay(
        supervisor_zheng, complaint_about_wang, outcome="partly", notes="部分属实。"
    )
    with pytest.raises(ValidationError, match="已"):
        actions.record_replay(
            supervisor_zheng, complaint_about_wang, outcome="partly", notes="部分属实。"
        )
    with pytest.raises(ValidationError):
        actions.confirm_footage(
            supervisor_zheng, complaint_about_wang, [footage_around_complaint["place"]]
        )
    assert ComplaintReplay.objects.count() == 1


def test_complaint_refuses_a_time_that_ends_before_it_starts(supervisor_zheng):
    with pytest.raises(ValidationError) as refused:
        actions.record_complaint(
            supervisor_zheng,
            channel="letter",
            complainant="赵某",
            received_at=hours_ago(1),
            occurred_from=hours_ago(2),
            occurred_to=hours_ago(3),
            place="某农资店",
            summary="投诉内容",
        )
    assert "occurred_to" in refused.value.error_dict


def test_pages_link_and_replay(
    client, supervisor_zheng, complaint_about_wang, footage_around_complaint
):
    sign_in(client, supervisor_zheng)
    detail = reverse("supervision:complaint", args=[complaint_about_wang.pk])
    page = client.get(detail)
    assert page.status_code == 200
    assert "wang.mp4" in page.content.decode()
    record = footage_around_complaint["officer"]
    answer = client.post(detail, {"record": [record.pk], "suggested": [record.pk]})
    assert answer.status_code == 302
    replay_url = reverse("supervision:complaint_replay", args=[complaint_about_wang.pk])
    page = client.get(replay_url)
    assert 'data-testid="replay-player"' in page.content.decode()
    answer = client.post(replay_url, {"outcome": "substantiated", "notes": "属实。"})
    assert answer.status_code == 302
    assert complaint_about_wang.replay.outcome == "substantiated"
    ledger = client.get(reverse("supervision:complaints"))
    assert f"TS-{complaint_about_wang.pk}" in ledger.content.decode()


def test_ledger_export_is_audited(client, supervisor_zheng, complaint_about_wang):
    sign_in(client, supervisor_zheng)
    answer = client.get(reverse("supervision:complaints_export", args=["csv"]))
    assert answer.status_code == 200
    body = b"".join(answer.streaming_content).decode("utf-8-sig")
    assert "赵某" in body
    event = AuditEvent.objects.get(action=ComplaintEvents.EXPORT)
    assert event.details["rows"] == 1
    answer = client.get(reverse("supervision:complaints_export", args=["xlsx"]))
    assert answer.status_code == 200


def test_officers_reach_no_complaint(client, officer_wang, complaint_about_wang):
    sign_in(client, officer_wang)
    assert client.get(reverse("supervision:complaints")).status_code == 403
    assert client.get(reverse("supervision:complaints_export", args=["csv"])).status_code == 403
    detail = reverse("supervision:complaint", args=[complaint_about_wang.pk])
    assert client.get(detail).status_code == 404
    denial(ComplaintPerms.VIEW, object_id=str(complaint_about_wang.pk))


def test_agency_head_reads_but_does_not_record(
    client, agency_head_liu, supervisor_zheng, complaint_about_wang
):
    sign_in(client, agency_head_liu)
    assert client.get(reverse("supervision:complaints")).status_code == 200
    detail = reverse("supervision:complaint", args=[complaint_about_wang.pk])
    assert client.get(detail).status_code == 200
    assert client.post(detail, {"record": ["1"]}).status_code == 403
    denial(ComplaintPerms.LINK, object_id=str(complaint_about_wang.pk))
    assert client.get(reverse("supervision:complaint_new")).status_code == 403
    replay_url = reverse("supervision:complaint_replay", args=[complaint_about_wang.pk])
    assert client.get(replay_url).status_code == 403


def test_supervisor_records_a_complaint_on_the_page(client, supervisor_zheng, officer_wang):
    sign_in(client, supervisor_zheng)
    answer = client.post(
        reverse("supervision:complaint_new"),
        {
            "channel": "visit",
            "complainant": "钱某",
            "received_at": "2026-12-01T09:00",
            "occurred_from": "2026-11-30T10:00",
            "occurred_to": "2026-11-30T11:00",
            "place": "某养殖场",
            "officers": [officer_wang.pk],
            "summary": "检查时损坏财物。",
        },
    )
    assert answer.status_code == 302
    assert AuditEvent.objects.filter(action=ComplaintEvents.RECORD).count() == 1
