"""Clocks from the records of the other features: leads, urgent starts, advance
preservation, advance notices and waivers, decisions, service and payment."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liuhen.activities.models import Activity, ActivityType
from liuhen.cases import deadlines
from liuhen.cases.deadlines import Status
from liuhen.cases.models import AdvanceNotice, ApprovalRequest, Case, Decision, Lead, Waiver
from tests.fixtures.deadlines import local

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 10, 1)


def _clocks(case, code, today=TODAY):
    return [c for c in deadlines.clocks_for_case(case, today=today) if c.code == code]


def _activity(case, code, day, officer):
    return Activity.objects.create(
        case=case,
        unit=case.unit,
        type=ActivityType.objects.get(code=code),
        started_at=local(day),
        ended_at=local(day, 11),
        place="某农资店",
        recorded_by=officer,
    )


def _decision(case, day, officer, fine_fen=500_00):
    return Decision.objects.create(
        case=case,
        number=f"洼农（农药）罚〔2026〕{case.pk}号",
        fine_fen=fine_fen,
        facts="销售假农药",
        basis="《农药管理条例》第五十五条",
        decided_by=officer,
        decided_at=local(day),
    )


def test_lead_check_15_days_ends_in_the_holiday_and_extends(unit_a, officer_wang) -> None:
    """农业行政处罚程序规定: a lead is checked within 15 days, +15 with approval. The period
    is the agency's own: a last day in the holiday does not move (民事诉讼法 Art. 85 is for
    the party's periods)."""
    lead = Lead.objects.create(
        source="complaint",
        received_at=local(D(2026, 9, 20)),
        summary="群众举报某农资店销售假农药",
        unit=unit_a,
        recorded_by=officer_wang,
    )
    [clock] = deadlines.open_lead_clocks(Lead.objects.all(), today=TODAY)
    # 09-20 + 15 = 10-05, a National Day holiday: still due on 10-05.
    assert clock.due == D(2026, 10, 5) and clock.status == Status.DUE_SOON
    assert clock.lead == lead and clock.case is None
    lead.check_extended = True
    lead.save()
    [clock] = deadlines.open_lead_clocks(Lead.objects.all(), today=TODAY)
    assert clock.due == D(2026, 10, 20)  # + 15 more days (approved extension)


def test_a_filed_lead_has_its_clock_met_on_the_case(case_opened, unit_a, officer_wang) -> None:
    case = case_opened(D(2026, 9, 25))
    Lead.objects.create(
        source="inspection",
        received_at=local(D(2026, 9, 20)),
        summary="巡查发现",
        unit=unit_a,
        recorded_by=officer_wang,
        status="filed",
        case=case,
    )
    [clock] = _clocks(case, "lead_check")
    assert clock.status == Status.MET and clock.met_on == D(2026, 9, 25)
    assert deadlines.open_lead_clocks(Lead.objects.filter(case__isnull=True), today=TODAY) == []


def test_urgent_start_paperwork_two_working_days(case_opened, officer_wang) -> None:
    case = case_opened(D(2026, 9, 1))
    request = ApprovalRequest.objects.create(
        case=case,
        step="advance_preservation",
        requested_by=officer_wang,
        urgent_reason="证据可能灭失",
        urgent_started_at=local(D(2026, 9, 29)),
    )
    ApprovalRequest.objects.create(case=case, step="other", requested_by=officer_wang)
    [clock] = _clocks(case, "urgent_paperwork")
    # R7.2: 09-30, then the holiday, then 10-08.
    assert clock.due == D(2026, 10, 8) and clock.rule_key == "urgent_start_paperwork"
    assert _clocks(case, "urgent_paperwork", today=D(2026, 10, 9))[0].status == Status.OVERDUE
    request.status = "approved"
    request.decided_at = local(D(2026, 9, 30))
    request.save()
    assert _clocks(case, "urgent_paperwork")[0].met_on == D(2026, 9, 30)


def test_urgent_preservation_reported_within_24_hours(case_opened, officer_wang) -> None:
    """农业行政处罚程序规定 (先行登记保存, 情况紧急): the head's approval within 24 hours of
    the urgent start, a clock in hours with its citation — not R7.2's 2 working days."""
    case = case_opened(D(2026, 9, 1))
    started = local(D(2026, 9, 29))
    request = ApprovalRequest.objects.create(
        case=case,
        step="advance_preservation",
        requested_by=officer_wang,
        urgent_reason="证据可能灭失",
        urgent_started_at=started,
        report_due_at=started + dt.timedelta(hours=24),
    )
    [clock] = _clocks(case, "urgent_report")
    assert clock.rule_key == "urgent_preservation_report_hours" and clock.kind == "hours"
    assert clock.due == D(2026, 9, 30) and "农业行政处罚程序规定" in clock.citation
    assert _clocks(case, "urgent_report", today=D(2026, 10, 1))[0].status == Status.OVERDUE
    assert _clocks(case, "urgent_paperwork") == []
    request.status = "approved"
    request.decided_at = started + dt.timedelta(hours=3)
    request.save()
    assert _clocks(case, "urgent_report")[0].met_on == D(2026, 9, 29)


def test_seizure_thirty_days_extended_once_with_approval(case_opened, officer_wang) -> None:
    """行政强制法 Art. 25: 30 days from the seizure (the day itself not counted), 30 more
    when the extension is approved; shown with the case's deadlines, met by the decision."""
    case = case_opened(D(2026, 9, 1))
    _activity(case, "seizure", D(2026, 9, 2), officer_wang)
    [clock] = _clocks(case, "seizure")
    # A limit on the agency: 10-02 is a National Day holiday, and the seizure still ends.
    assert clock.due == D(2026, 10, 2) and "《中华人民共和国行政强制法》第25条" in clock.citation
    assert clock.rule_key == "seizure_days"
    assert _clocks(case, "seizure", today=D(2026, 10, 10))[0].status == Status.OVERDUE
    pending = ApprovalRequest.objects.create(
        case=case, step="seizure_extension", requested_by=officer_wang
    )
    assert _clocks(case, "seizure")[0].due == D(2026, 10, 2)  # asked for, not approved
    pending.status = "approved"
    pending.decided_at = local(D(2026, 9, 28))
    pending.save()
    # 09-02 + 60 days = 11-01 (a Sunday: the limit does not move).
    assert _clocks(case, "seizure")[0].due == D(2026, 11, 1)
    _decision(case, D(2026, 10, 20), officer_wang)
    assert _clocks(case, "seizure")[0].status == Status.MET


def test_advance_preservation_seven_working_days(case_opened, officer_wang) -> None:
    case = case_opened(D(2026, 9, 1))
    _activity(case, "advance_preservation", D(2026, 9, 29), officer_wang)
    _activity(case, "inspection", D(2026, 9, 29), officer_wang)
    [clock] = _clocks(case, "advance_preservation")
    assert clock.due == D(2026, 10, 14) and "第56条" in clock.citation
    _decision(case, D(2026, 10, 12), officer_wang)
    assert _clocks(case, "advance_preservation")[0].status == Status.MET


def test_hearing_request_window_and_waiver(case_opened, officer_wang) -> None:
    case = case_opened(D(2026, 9, 1))
    notice = AdvanceNotice.objects.create(
        case=case,
        notified_at=local(D(2026, 9, 29)),
        notified_by=officer_wang,
        notified_to="某农资店负责人",
        method="直接送达",
        rights=["statement", "defence", "hearing"],
    )
    AdvanceNotice.objects.create(
        case=case,
        notified_at=local(D(2026, 9, 29)),
        notified_by=officer_wang,
        notified_to="另一当事人",
        method="直接送达",
        rights=["statement", "defence"],
    )
    [clock] = _clocks(case, "hearing_request")
    # 5 working days: 09-30, 10-08, 10-09, 10-10 (make-up Saturday), 10-12.
    assert clock.due == D(2026, 10, 12) and clock.status == Status.RUNNING
    Waiver.objects.create(
        notice=notice, rights=["hearing"], statement="放弃听证", recorded_by=officer_wang
    )
    assert _clocks(case, "hearing_request")[0].status == Status.MET


def test_a_hearing_held_meets_the_request_window(case_opened, officer_wang) -> None:
    case = case_opened(D(2026, 9, 1))
    AdvanceNotice.objects.create(
        case=case,
        notified_at=local(D(2026, 9, 29)),
        notified_by=officer_wang,
        notified_to="某农资店负责人",
        method="直接送达",
        rights=["hearing"],
    )
    _activity(case, "hearing", D(2026, 10, 20), officer_wang)
    [clock] = _clocks(case, "hearing_request")
    assert clock.status == Status.MET and clock.met_on == D(2026, 10, 20)


def test_decision_service_and_payment(case_opened, officer_wang) -> None:
    case = case_opened(D(2026, 9, 1))
    _decision(case, D(2026, 9, 28), officer_wang)
    [decision] = _clocks(case, "decision")
    assert decision.status == Status.MET and decision.met_on == D(2026, 9, 28)
    [service] = _clocks(case, "service")
    # 7 working days after 09-28: 09-29, 09-30, 10-08, 10-09, 10-10, 10-12, 10-13.
    assert service.due == D(2026, 10, 13) and service.status == Status.RUNNING
    assert _clocks(case, "payment") == []  # not served yet
    _activity(case, "service_by_leaving", D(2026, 10, 9), officer_wang)
    assert _clocks(case, "service")[0].met_on == D(2026, 10, 9)
    [payment] = _clocks(case, "payment")
    # 10-09 + 15 = 10-24, a Saturday: the next working day.
    assert payment.due == D(2026, 10, 26) and payment.kind == "calendar_days"


def test_a_decision_without_a_fine_has_no_payment_clock(case_opened, officer_wang) -> None:
    case = case_opened(D(2026, 9, 1))
    _decision(case, D(2026, 9, 28), officer_wang, fine_fen=0)
    _activity(case, "service_by_leaving", D(2026, 9, 29), officer_wang)
    assert _clocks(case, "service")[0].status == Status.MET
    assert _clocks(case, "payment") == []


def test_open_clocks_with_every_record_uses_constant_queries(case_opened, officer_wang) -> None:
    def add(count: int) -> None:
        for _ in range(count):
            case = case_opened(D(2026, 9, 1))
            _activity(case, "advance_preservation", D(2026, 9, 29), officer_wang)
            _decision(case, D(2026, 9, 28), officer_wang)
            AdvanceNotice.objects.create(
                case=case,
                notified_at=local(D(2026, 9, 29)),
                notified_by=officer_wang,
                notified_to="当事人",
                method="直接送达",
                rights=["hearing"],
            )

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            clocks = deadlines.open_clocks(Case.objects.all(), today=TODAY)
        return len(ctx.captured_queries), len(clocks)

    add(2)
    count()  # the rules and the calendar are loaded once per process
    few, clocks_few = count()
    add(6)
    many, clocks_many = count()
    assert many == few and clocks_many == 4 * clocks_few
