"""Clocks computed from case data: due dates on the working-day calendar, statuses, warnings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from liuhen.cases import deadlines
from liuhen.cases.deadlines import Status
from liuhen.core import calendar, registry
from liuhen.core.models import RuleOverride
from liuhen.core.rule_types import Kind
from tests.fixtures.deadlines import local

pytestmark = pytest.mark.django_db

D = dt.date


def _decision(case, today):
    [clock] = [c for c in deadlines.clocks_for_case(case, today=today) if c.code == "decision"]
    return clock


def test_decision_deadline_whose_last_day_is_a_national_day_holiday_does_not_move(
    case_opened,
) -> None:
    """行政处罚法 Art. 60: 立案 2026-07-05 + 90 calendar days = 2026-10-03, inside the National
    Day holiday (10-01 … 10-07). The period is the agency's own: it does not roll forward
    as the party's periods do (民事诉讼法 Art. 85), so the decision is due by 10-03."""
    case = case_opened(D(2026, 7, 5))
    clock = _decision(case, D(2026, 9, 1))
    assert clock.started_on == D(2026, 7, 5)
    assert clock.due == D(2026, 10, 3)
    assert clock.kind == Kind.CALENDAR_DAYS
    assert clock.rule_key == "decision_deadline"
    assert "第60条" in clock.citation or "Art. 60" in clock.citation
    assert clock.warning == ""
    assert clock.status == Status.RUNNING


def test_decision_deadline_follows_the_configured_rule(case_opened) -> None:
    # The agriculture provisions' 6 months when the administrator chooses them.
    RuleOverride.objects.create(
        key="decision_deadline_applies", value="decision_deadline_agriculture", reason="test"
    )
    case = case_opened(D(2026, 4, 3))
    clock = _decision(case, D(2026, 5, 1))
    assert clock.rule_key == "decision_deadline_agriculture"
    # 10-03 is a holiday; the agency's period does not roll forward.
    assert clock.due == calendar.add_months(D(2026, 4, 3), 6, roll_forward=False)


def test_statuses_with_a_fixed_today(case_opened) -> None:
    case = case_opened(D(2026, 7, 10))  # due 2026-10-08 (Thursday)
    assert _decision(case, D(2026, 9, 1)).status == Status.RUNNING
    # 09-30 + 3 working days reaches past the holiday to 10-10 (a make-up working day).
    soon = _decision(case, D(2026, 9, 30))
    assert soon.status == Status.DUE_SOON and soon.days_left == 8
    assert _decision(case, D(2026, 10, 8)).status == Status.DUE_SOON
    late = _decision(case, D(2026, 10, 9))
    assert late.status == Status.OVERDUE and late.days_late == 1


def test_closing_the_case_meets_the_decision_clock(case_opened) -> None:
    case = case_opened(D(2026, 7, 5), closed_at=timezone.make_aware(dt.datetime(2026, 9, 2, 9)))
    clock = _decision(case, D(2026, 12, 1))
    assert clock.status == Status.MET and clock.met_on == D(2026, 9, 2)


def test_a_deadline_in_2027_carries_the_calendar_warning(case_opened, officer_wang) -> None:
    """Working days into 2027 (no holiday data yet) may move: the service clock warns
    (行政处罚法 Art. 61, 85). The agency's 90 calendar days end on their last day whatever
    it is, so holidays cannot move them: no warning."""
    from liuhen.cases.models import Decision

    case = case_opened(D(2026, 12, 20))  # + 90 days = 2027-03-20
    clock = _decision(case, D(2027, 1, 4))
    assert clock.due == D(2027, 3, 20) and clock.warning == ""
    Decision.objects.create(
        case=case,
        number="洼农（农药）罚〔2026〕1号",
        fine_fen=500_00,
        facts="销售假农药",
        basis="《农药管理条例》第五十五条",
        decided_by=officer_wang,
        decided_at=timezone.make_aware(dt.datetime(2026, 12, 28, 10)),
    )
    clocks = deadlines.clocks_for_case(case, today=D(2027, 1, 4))
    [service] = [c for c in clocks if c.code == "service"]
    assert service.due.year == 2027 and "2027" in service.warning


def test_open_clocks_leave_out_met_ones_and_sort_by_due(case_opened) -> None:
    from liuhen.cases.models import Case

    later = case_opened(D(2026, 8, 1))
    sooner = case_opened(D(2026, 7, 5))
    case_opened(D(2026, 7, 1), closed_at=timezone.make_aware(dt.datetime(2026, 8, 1, 9)))
    clocks = deadlines.open_clocks(Case.objects.all(), today=D(2026, 9, 1))
    assert [c.case_id for c in clocks if c.code == "decision"] == [sooner.pk, later.pk]
    assert all(c.status != Status.MET for c in clocks)


def test_latest_day_for_the_hearing_notice_counts_working_days_back() -> None:
    # A hearing on Monday 2026-10-12: 7 working days before it reach back over the
    # National Day holiday and its make-up Saturday (10-10) to Monday 09-28.
    hearing = D(2026, 10, 12)
    latest = deadlines.latest_day_before(hearing, 7)
    assert latest == D(2026, 9, 27)
    assert calendar.add_working_days(latest, 7) == hearing
    assert calendar.add_working_days(latest + dt.timedelta(days=1), 7) > hearing


def test_a_custom_provider_is_listed_with_its_prefetch(case_opened) -> None:
    from liuhen.cases.models import Case

    calls: list[str] = []

    class Extra:
        def prefetch(self, queryset):
            calls.append("prefetch")
            return queryset

        def __call__(self, case):
            clock = deadlines.make_clock(case, "extra", "payment", case.opened_at)
            return [clock] if clock else []

    with registry.deadline_providers.temporarily("extra", Extra()):
        case_opened(D(2026, 9, 1))
        clocks = deadlines.open_clocks(Case.objects.all(), today=D(2026, 9, 2))
    assert calls == ["prefetch"]
    # 09-01 + 15 calendar days = 09-16 (a Wednesday).
    assert [c.due for c in clocks if c.code == "extra"] == [D(2026, 9, 16)]


def _uncounted_records(case, officer):
    """A hearing (asked 04-01, held 04-21), a service by public notice (published 04-10,
    effective 05-10: overlapping the hearing) and a test result notice (sampled 03-05,
    notified 03-20) of ``case``."""
    from liuhen.cases.models import AdvanceNotice, Hearing, HearingSchedule
    from liuhen.delivery.models import ServiceRecord
    from liuhen.documents.models import IssuedDocument

    notice = AdvanceNotice.objects.create(
        case=case,
        notified_at=local(D(2026, 3, 27)),
        notified_by=officer,
        notified_to="张三",
        method="直接送达",
        rights=["statement", "defence", "hearing"],
    )
    hearing = Hearing.objects.create(
        case=case,
        notice=notice,
        requested_at=local(D(2026, 4, 1)),
        requested_by_party="张三",
        request_method="书面",
        recorded_by=officer,
    )
    schedule = HearingSchedule.objects.create(
        hearing=hearing,
        scheduled_at=local(D(2026, 4, 21)),
        place="局听证室",
        chair=officer,
        notified_at=local(D(2026, 4, 8)),
        recorded_by=officer,
    )

    def issue(form_code, day, **data):
        return IssuedDocument.objects.create(
            case=case,
            unit=case.unit,
            form_code=form_code,
            title=form_code,
            data=data,
            issued_by=officer,
            issued_at=local(day),
        )

    served = issue("advance_notice", D(2026, 4, 10))
    ServiceRecord.objects.create(
        issued=served,
        case=case,
        mode="public_notice",
        recipient="张三",
        served_at=local(D(2026, 4, 10)),
        served_on=D(2026, 5, 10),
        recorded_by=officer,
    )
    issue("test_result_notice", D(2026, 3, 20), sampled_on="2026-03-05")
    return hearing, schedule


def test_agriculture_deadline_leaves_out_hearing_public_notice_and_testing(
    case_opened, officer_wang
) -> None:
    """农业行政处罚程序规定: the 6 months leave out hearing, public notice and testing (and
    suspensions); overlapping spans count once. Art. 60's 90 days stay as they are."""
    from liuhen.cases.models import HearingRecord

    opened = D(2026, 3, 2)
    case = case_opened(opened)
    hearing, schedule = _uncounted_records(case, officer_wang)
    # Art. 60 (the default): 90 days, none of these left out.
    general = _decision(case, D(2026, 6, 1))
    assert general.due == calendar.deadline(opened, "decision_deadline").due
    assert general.uncounted == () and not general.paused

    RuleOverride.objects.create(
        key="decision_deadline_applies", value="decision_deadline_agriculture", reason="test"
    )
    # The hearing asked for on 04-01 is not held yet: the clock is paused since then.
    running = _decision(case, D(2026, 6, 1))
    assert running.paused and running.paused_since == D(2026, 4, 1)
    assert [s.code for s in running.uncounted] == ["testing", "hearing"]
    HearingRecord.objects.create(
        hearing=hearing,
        schedule=schedule,
        held_at=local(D(2026, 4, 21)),
        summary="当事人陈述申辩",
        outcome="维持",
        recorded_by=officer_wang,
    )
    clock = _decision(case, D(2026, 6, 1))
    # Testing 03-05…03-20 (15 days); hearing 04-01…04-21 joined with the public notice
    # 04-10…05-10 (39 days).
    assert [(s.code, s.start, s.end) for s in clock.uncounted] == [
        ("testing", D(2026, 3, 5), D(2026, 3, 20)),
        ("hearing", D(2026, 4, 1), D(2026, 5, 10)),
    ]
    assert clock.paused_days == 15 + 39 and not clock.paused
    shifted = calendar.deadline(opened + dt.timedelta(days=54), "decision_deadline_agriculture")
    assert clock.due == shifted.due > calendar.add_months(opened, 6)
    # Shown with the deadline on the case page.
    with override("zh-hans"):
        html = render_to_string("deadlines/section.html", {"ctx": {"clocks": [clock]}})
    row = html.split('data-testid="uncounted-decision"', 1)[1].split("</tr>", 1)[0]
    assert "不计入期限" in row and "听证 2026-04-01 – 2026-05-10" in row
