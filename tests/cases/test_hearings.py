"""Hearings 听证 (行政处罚法 Art. 63–65, 85; R8.1, R8.2): the request window and the notice
period on the working-day calendar (the 2026 National Day holiday and its make-up
Saturday), the chair who may not investigate, the hearing held, access both ways."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from liuhen.accounts.models import Role
from liuhen.activities.models import Activity, ActivityOfficer, ActivityType
from liuhen.cases import deadlines, decisions, hearings
from liuhen.cases.actions import decisions as decision_actions
from liuhen.cases.actions import hearings as hearing_actions
from liuhen.cases.deadlines import Status
from liuhen.cases.models import Hearing, HearingSchedule, Stage
from liuhen.core import access
from liuhen.core.access import AccessDenied
from liuhen.core.models import AuditEvent
from tests.activities.helpers import seed_types
from tests.cases.helpers import denials
from tests.factories import CaseFactory, UserFactory, sign_in
from tests.fixtures.clock import at
from tests.scenarios.helpers import refusal_reason

pytestmark = pytest.mark.django_db

D = dt.date
NOTICE_DAY = D(2026, 9, 29)
TODAY = D(2026, 10, 1)


@pytest.fixture
def case_in_decision_sep_1(unit_a, officer_wang):
    return CaseFactory(
        unit=unit_a,
        officers=[officer_wang],
        stage=Stage.DECISION,
        field="农药",
        opened_at=at(D(2026, 9, 1)),
    )


def _notice(
    case, officer, day=NOTICE_DAY, rights=("statement", "defence", "hearing"), fine=20_000_00
):
    return decision_actions.record_advance_notice(
        officer,
        case,
        notified_at=at(day),
        notified_to="某农资店 张三",
        method="直接送达",
        penalty_kinds=["fine"],
        proposed_fine_fen=fine,
        rights=list(rights),
    )


def _request(officer, notice, when):
    return hearing_actions.request_hearing(
        officer,
        notice,
        requested_at=when,
        requested_by_party="张三（法定代表人）",
        request_method="书面申请",
    )


def _schedule(officer, hearing, chair, *, notified, held, **kwargs):
    return hearing_actions.schedule_hearing(
        officer,
        hearing,
        scheduled_at=held,
        place="局三楼听证室",
        chair=chair,
        notified_at=notified,
        **kwargs,
    )


def _clock(case, code, today=TODAY):
    [clock] = [c for c in deadlines.clocks_for_case(case, today=today) if c.code == code]
    return clock


# --- the request window (Art. 64(1), 85) -------------------------------------------------


def test_request_on_the_last_day_of_the_window_across_national_day(
    case_in_decision_sep_1, officer_wang
):
    notice = _notice(case_in_decision_sep_1, officer_wang)
    # 5 working days after 09-29: 09-30, (holiday) 10-08, 10-09, 10-10 (make-up Saturday), 10-12.
    assert hearings.request_window_closes(notice) == D(2026, 10, 12)
    assert _clock(case_in_decision_sep_1, "hearing_request").due == D(2026, 10, 12)
    hearing = _request(officer_wang, notice, at(D(2026, 10, 12), 17, 30))
    assert hearing.case == case_in_decision_sep_1 and hearing.recorded_by == officer_wang
    event = AuditEvent.objects.get(action="case.hearing_request")
    assert (
        event.case_id == case_in_decision_sep_1.pk
        and event.details["window_closes"] == "2026-10-12"
    )
    clock = _clock(case_in_decision_sep_1, "hearing_request")
    assert clock.status == Status.MET and clock.met_on == D(2026, 10, 12)


@override("zh-hans")
def test_late_request_is_refused_with_the_closing_day(case_in_decision_sep_1, officer_wang):
    notice = _notice(case_in_decision_sep_1, officer_wang)
    reason = refusal_reason(_request, officer_wang, notice, at(D(2026, 10, 13), 9))
    assert "逾期" in reason and "2026-10-12" in reason and "第六十四条" in reason
    assert not Hearing.objects.exists()


@override("zh-hans")
def test_no_hearing_right_notified_or_waived_or_asked_twice(case_in_decision_sep_1, officer_wang):
    # A small fine carries no hearing right (行政处罚法 Art. 63), so none was notified.
    plain = _notice(
        case_in_decision_sep_1, officer_wang, rights=("statement", "defence"), fine=500_00
    )
    assert "未告知" in refusal_reason(_request, officer_wang, plain, at(D(2026, 9, 30)))

    notice = _notice(case_in_decision_sep_1, officer_wang)
    decision_actions.record_waiver(
        officer_wang, notice, rights=["hearing"], statement="本人放弃听证"
    )
    assert "放弃" in refusal_reason(_request, officer_wang, notice, at(D(2026, 9, 30)))

    other = _notice(case_in_decision_sep_1, officer_wang, day=D(2026, 10, 8))
    assert "早于" in refusal_reason(_request, officer_wang, other, at(D(2026, 10, 7)))
    _request(officer_wang, other, at(D(2026, 10, 9)))
    assert "已" in refusal_reason(_request, officer_wang, other, at(D(2026, 10, 9)))
    future = timezone.now() + dt.timedelta(days=1)
    assert "将来" in refusal_reason(
        _request, officer_wang, _notice(case_in_decision_sep_1, officer_wang), future
    )


@override("zh-hans")
def test_no_hearing_after_the_decision(case_in_decision_sep_1, officer_wang):
    notice = _notice(case_in_decision_sep_1, officer_wang)
    from liuhen.cases.models import Decision

    Decision.objects.create(
        case=case_in_decision_sep_1,
        number="洼农（农药）罚〔2026〕1号",
        facts="事实",
        basis="依据",
        decided_by=officer_wang,
    )
    assert "决定" in refusal_reason(_request, officer_wang, notice, at(D(2026, 9, 30)))


# --- the schedule: notice ≥ 7 working days before, the chair (Art. 64(2)–(4)) ------------


@pytest.fixture
def hearing_requested_sep_30(case_in_decision_sep_1, officer_wang):
    return _request(officer_wang, _notice(case_in_decision_sep_1, officer_wang), at(D(2026, 9, 30)))


@override("zh-hans")
def test_notice_shorter_than_seven_working_days_is_refused(
    hearing_requested_sep_30, officer_wang, reviewer_sun
):
    told = at(D(2026, 9, 30), 15)
    # 7 working days after 09-30: 10-08, 09, 10 (make-up), 12, 13, 14, 15.
    assert hearings.earliest_hearing_day(told) == D(2026, 10, 15)
    reason = refusal_reason(
        _schedule,
        officer_wang,
        hearing_requested_sep_30,
        reviewer_sun,
        notified=told,
        held=at(D(2026, 10, 14), 9),
    )
    assert "7" in reason and "2026-10-15" in reason and "第六十四条" in reason
    schedule = _schedule(
        officer_wang,
        hearing_requested_sep_30,
        reviewer_sun,
        notified=told,
        held=at(D(2026, 10, 15), 9),
    )
    assert schedule.chair == reviewer_sun and schedule.public
    assert AuditEvent.objects.filter(action="case.hearing_schedule").count() == 1
    clock = _clock(case=hearing_requested_sep_30.case, code="hearing_notice")
    # Told by 10-07 (a holiday) still leaves 7 working days before 10-15; met on 09-30.
    assert clock.due == D(2026, 10, 7) and clock.met_on == D(2026, 9, 30)
    assert clock.status == Status.MET


@override("zh-hans")
def test_the_chair_may_not_be_an_investigator(
    hearing_requested_sep_30, officer_wang, head_zhang, reviewer_sun
):
    told, held = at(D(2026, 9, 30), 15), at(D(2026, 10, 20), 9)
    reason = refusal_reason(
        _schedule, officer_wang, hearing_requested_sep_30, officer_wang, notified=told, held=held
    )
    assert "王明" in reason and "主持" in reason
    # An officer present at one of the case's activities investigates it too.
    seed_types()
    activity = Activity.objects.create(
        case=hearing_requested_sep_30.case,
        unit=hearing_requested_sep_30.case.unit,
        type=ActivityType.objects.get(code="inspection"),
        started_at=at(D(2026, 9, 10)),
        ended_at=at(D(2026, 9, 10), 11),
        place="某农资店",
        recorded_by=officer_wang,
    )
    ActivityOfficer.objects.create(activity=activity, officer=head_zhang)
    reason = refusal_reason(
        _schedule, officer_wang, hearing_requested_sep_30, head_zhang, notified=told, held=held
    )
    assert "张伟" in reason and "主持" in reason
    assert "记录员" in refusal_reason(
        _schedule,
        officer_wang,
        hearing_requested_sep_30,
        reviewer_sun,
        notified=told,
        held=held,
        clerk=reviewer_sun,
    )
    assert not HearingSchedule.objects.exists()


@override("zh-hans")
def test_closed_hearing_needs_its_reason_and_notice_after_request(
    hearing_requested_sep_30, officer_wang, reviewer_sun
):
    held = at(D(2026, 10, 20), 9)
    reason = refusal_reason(
        _schedule,
        officer_wang,
        hearing_requested_sep_30,
        reviewer_sun,
        notified=at(D(2026, 9, 30), 15),
        held=held,
        public=False,
    )
    assert "商业秘密" in reason
    early = refusal_reason(
        _schedule,
        officer_wang,
        hearing_requested_sep_30,
        reviewer_sun,
        notified=at(D(2026, 9, 29)),
        held=held,
    )
    assert "申请" in early
    schedule = _schedule(
        officer_wang,
        hearing_requested_sep_30,
        reviewer_sun,
        notified=at(D(2026, 9, 30), 15),
        held=held,
        public=False,
        closed_reason="涉及商业秘密",
    )
    assert not schedule.public and schedule.closed_reason == "涉及商业秘密"


def test_a_new_schedule_reschedules_and_the_clock_follows(
    hearing_requested_sep_30, officer_wang, reviewer_sun
):
    _schedule(
        officer_wang,
        hearing_requested_sep_30,
        reviewer_sun,
        notified=at(D(2026, 9, 30), 15),
        held=at(D(2026, 10, 15), 9),
    )
    later = _schedule(
        officer_wang,
        hearing_requested_sep_30,
        reviewer_sun,
        notified=at(D(2026, 10, 9), 15),
        held=at(D(2026, 10, 22), 9),
    )
    assert hearings.latest_schedule(hearing_requested_sep_30) == later
    clock = _clock(hearing_requested_sep_30.case, "hearing_notice")
    # 7 working days before 10-22 reach back to 10-14: the notice was due by 10-13.
    assert clock.due == D(2026, 10, 13) and clock.met_on == D(2026, 10, 9)
    assert AuditEvent.objects.filter(action="case.hearing_schedule").last().details["rescheduled"]


# --- the hearing held (Art. 64(8), 65; Art. 58) ------------------------------------------


@override("zh-hans")
def test_hearing_held_marks_the_case_and_requires_legal_review(
    hearing_requested_sep_30, officer_wang, reviewer_sun, head_zhang, agency_head_liu
):
    case = hearing_requested_sep_30.case
    assert "安排" in refusal_reason(
        hearing_actions.record_hearing_held,
        officer_wang,
        hearing_requested_sep_30,
        held_at=at(D(2026, 10, 15), 9),
        summary="当事人陈述申辩",
        outcome="建议维持",
    )
    _schedule(
        officer_wang,
        hearing_requested_sep_30,
        reviewer_sun,
        notified=at(D(2026, 9, 30), 15),
        held=at(D(2026, 10, 15), 9),
    )
    assert "2026-10-15" in refusal_reason(
        hearing_actions.record_hearing_held,
        officer_wang,
        hearing_requested_sep_30,
        held_at=at(D(2026, 10, 16), 9),
        summary="当事人陈述申辩",
        outcome="建议维持",
    )
    assert not case.needs_legal_review
    record = hearing_actions.record_hearing_held(
        reviewer_sun,  # the chair records it
        hearing_requested_sep_30,
        held_at=at(D(2026, 10, 15), 9, 30),
        summary="当事人对违法事实无异议，请求从轻处罚",
        outcome="建议按告知内容处罚",
    )
    case.refresh_from_db()
    assert case.hearing_held and case.needs_legal_review and record.recorded_by == reviewer_sun
    assert AuditEvent.objects.filter(action="case.hearing_held", case_id=case.pk).exists()
    assert "已" in refusal_reason(
        hearing_actions.record_hearing_held,
        officer_wang,
        hearing_requested_sep_30,
        held_at=at(D(2026, 10, 15), 9),
        summary="x",
        outcome="y",
    )
    # Art. 58: a decision after a hearing needs legal review first.
    from liuhen.cases.actions import approvals as approval_actions

    request = approval_actions.request_approval(officer_wang, case, "decision")
    for person in (head_zhang, agency_head_liu):
        request.refresh_from_db()
        approval_actions.decide(person, request, approve=True, opinion="同意")
    reason = refusal_reason(
        decision_actions.record_decision,
        officer_wang,
        case,
        penalty_kinds=["fine"],
        fine_fen=20_000_00,
        facts="销售假农药",
        basis="《农药管理条例》第五十五条",
    )
    assert "法制审核" in reason


def test_hearing_rows_are_write_once(hearing_requested_sep_30, officer_wang, reviewer_sun):
    schedule = _schedule(
        officer_wang,
        hearing_requested_sep_30,
        reviewer_sun,
        notified=at(D(2026, 9, 30), 15),
        held=at(D(2026, 10, 15), 9),
    )
    for model, pk in ((Hearing, hearing_requested_sep_30.pk), (HearingSchedule, schedule.pk)):
        with pytest.raises(DatabaseError), transaction.atomic():
            model.objects.filter(pk=pk).update(recorded_at=timezone.now())
        with pytest.raises(DatabaseError), transaction.atomic():
            model.objects.filter(pk=pk).delete()


# --- access, both ways -----------------------------------------------------------------


def test_access_to_hearings(
    case_in_decision_sep_1,
    officer_wang,
    officer_li,
    head_zhang,
    reviewer_sun,
    auditor_chen,
    supervisor_zheng,
):
    for user in (officer_wang, head_zhang):
        assert access.can(user, "case.hearing", case_in_decision_sep_1)
        assert access.can(user, "case.hearing_record", case_in_decision_sep_1)
    for user in (officer_li, reviewer_sun, auditor_chen, supervisor_zheng):
        assert not access.can(user, "case.hearing", case_in_decision_sep_1)
        assert not access.can(user, "case.hearing_record", case_in_decision_sep_1)
    notice = _notice(case_in_decision_sep_1, officer_wang)
    with pytest.raises(AccessDenied):
        _request(officer_li, notice, at(D(2026, 9, 30)))
    assert AuditEvent.objects.filter(action="case.hearing", outcome="denied").exists()
    hearing = _request(officer_wang, notice, at(D(2026, 9, 30)))
    _schedule(
        officer_wang,
        hearing,
        reviewer_sun,
        notified=at(D(2026, 9, 30), 15),
        held=at(D(2026, 10, 15), 9),
    )
    # The chair records the hearing held, but arranges nothing.
    assert access.can(reviewer_sun, "case.hearing_record", case_in_decision_sep_1)
    assert not access.can(reviewer_sun, "case.hearing", case_in_decision_sep_1)
    with pytest.raises(AccessDenied):
        _schedule(
            reviewer_sun,
            hearing,
            reviewer_sun,
            notified=at(D(2026, 9, 30), 15),
            held=at(D(2026, 10, 15), 9),
        )
    assert not access.can(supervisor_zheng, "case.hearing_record", case_in_decision_sep_1)


# --- the page and the case page section ------------------------------------------------


REQUEST = {
    "do": "request",
    "requested_at": "2026-09-30T10:00",
    "requested_by_party": "张三",
    "request_method": "书面申请",
}


def test_hearing_page_records_request_and_schedule(
    client, case_in_decision_sep_1, officer_wang, reviewer_sun
):
    _notice(case_in_decision_sep_1, officer_wang)
    url = reverse("cases:hearing", args=[case_in_decision_sep_1.pk])
    sign_in(client, officer_wang)
    page = client.get(url).content.decode()
    assert "听证" in page and "2026-10-12" in page  # the window's last day
    response = client.post(url, REQUEST)
    assert response.status_code == 302 and response.url.endswith("#section-hearings")
    hearing = Hearing.objects.get(case=case_in_decision_sep_1)

    page = client.get(url).content.decode()
    assert 'data-testid="form-schedule"' in page
    assert "王明" not in page.split('name="chair"')[1].split("</select>")[0]  # investigator
    schedule = {
        "do": "schedule",
        "scheduled_at": "2026-10-14T09:00",
        "place": "局三楼听证室",
        "chair": reviewer_sun.pk,
        "notified_at": "2026-09-30T15:00",
        "public": "on",
    }
    response = client.post(url, schedule)
    assert response.status_code == 422
    assert "2026-10-15" in response.content.decode()
    response = client.post(url, {**schedule, "scheduled_at": "2026-10-15T09:00"})
    assert response.status_code == 302
    assert hearings.latest_schedule(hearing).chair == reviewer_sun

    detail = client.get(reverse("cases:detail", args=[case_in_decision_sep_1.pk])).content.decode()
    assert 'data-section="hearings"' in detail and "局三楼听证室" in detail
    assert 'data-testid="to-hearing"' in detail and 'data-testid="to-suspension"' in detail


def test_hearing_page_refuses_others_and_lets_the_chair_record(
    client, case_in_decision_sep_1, officer_wang, officer_li, reviewer_sun
):
    url = reverse("cases:hearing", args=[case_in_decision_sep_1.pk])
    sign_in(client, officer_li)  # another unit's officer: the case is not there for them
    assert client.get(url).status_code == 404
    assert client.post(url, REQUEST).status_code == 404
    assert denials("case.hearing_record", "cases.case", case_in_decision_sep_1.pk) == 2
    sign_in(client, reviewer_sun)  # reads the case, but is not the chair of a hearing yet
    assert client.get(url).status_code == 403
    assert denials("case.hearing_record", "cases.case", case_in_decision_sep_1.pk) == 3
    hearing = _request(
        officer_wang, _notice(case_in_decision_sep_1, officer_wang), at(D(2026, 9, 30))
    )
    _schedule(
        officer_wang,
        hearing,
        reviewer_sun,
        notified=at(D(2026, 9, 30), 15),
        held=at(D(2026, 10, 15), 9),
    )
    sign_in(client, reviewer_sun)
    page = client.get(url).content.decode()
    assert 'data-testid="form-held"' in page and 'data-testid="form-schedule"' not in page
    response = client.post(
        url,
        {
            "do": "held",
            "held_at": "2026-10-15T09:30",
            "summary": "当事人陈述申辩",
            "outcome": "建议维持",
        },
    )
    assert response.status_code == 302
    case_in_decision_sep_1.refresh_from_db()
    assert case_in_decision_sep_1.hearing_held
    detail = client.get(reverse("cases:detail", args=[case_in_decision_sep_1.pk])).content.decode()
    assert 'data-testid="hearing-held"' in detail
    assert 'data-testid="to-suspension"' not in detail  # the chair does not suspend


def test_only_enforcement_staff_may_chair(unit_a):
    # The chair list holds enforcement staff only: administrators never chair (R21.2).
    from liuhen.cases.forms.hearings import HearingScheduleForm

    admin = UserFactory(username="admin_x", unit=unit_a, roles=[Role.SYSTEM_ADMIN])
    officer = UserFactory(username="officer_y", unit=unit_a, roles=[Role.OFFICER])
    choices = HearingScheduleForm().fields["chair"].queryset
    assert officer in choices and admin not in choices


def test_a_requested_hearing_awaits_until_held(
    hearing_requested_sep_30, officer_wang, reviewer_sun
):
    case = hearing_requested_sep_30.case
    assert hearings.awaiting_hearing(case) == hearing_requested_sep_30
    _schedule(
        officer_wang,
        hearing_requested_sep_30,
        reviewer_sun,
        notified=at(D(2026, 9, 30), 15),
        held=at(D(2026, 10, 15), 9),
    )
    assert hearings.awaiting_hearing(case) == hearing_requested_sep_30
    hearing_actions.record_hearing_held(
        officer_wang,
        hearing_requested_sep_30,
        held_at=at(D(2026, 10, 15), 9, 30),
        summary="当事人陈述申辩",
        outcome="建议维持",
    )
    assert hearings.awaiting_hearing(case) is None


@override("zh-hans")
def test_no_decision_while_a_requested_hearing_is_not_held(
    hearing_requested_sep_30, officer_wang, reviewer_sun
):
    """Art. 65: the decision is made on the hearing transcript, so it waits for the hearing."""
    case = hearing_requested_sep_30.case
    reasons = decisions.decision_blockers(case, ["fine"], 100_00)
    assert any("听证" in reason and "笔录" in reason for reason in reasons)
    _schedule(
        officer_wang,
        hearing_requested_sep_30,
        reviewer_sun,
        notified=at(D(2026, 9, 30), 15),
        held=at(D(2026, 10, 15), 9),
    )
    hearing_actions.record_hearing_held(
        officer_wang,
        hearing_requested_sep_30,
        held_at=at(D(2026, 10, 15), 9, 30),
        summary="当事人陈述申辩",
        outcome="建议维持",
    )
    assert not [r for r in decisions.decision_blockers(case, ["fine"], 100_00) if "听证" in r]
