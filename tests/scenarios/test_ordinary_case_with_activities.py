"""An ordinary case with its on-site activities, walked through actions (issue 3).

Two certified officers inspect and sample, evidence is preserved after an urgent start,
the investigation is suspended and resumed (both approved), and the missing AV record
holds the investigation until the unit head approves an exemption. After the advance
notice the party asks for a hearing in time; it is notified 7 working days ahead and held
under a chair who did not investigate; legal review and collective discussion follow.
Every refused transition is asked for and must say why, in Chinese.

The on-site acts, the notice and the hearing are dated in the past (a hearing needs 7
working days of notice and can only be recorded once held).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.translation import override

from liuhen.accounts.models import Role
from liuhen.activities import actions as activities
from liuhen.activities.models import ActivityType
from liuhen.cases import approvals, hearings, suspensions
from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.actions import decisions as decision_actions
from liuhen.cases.actions import filing
from liuhen.cases.actions import hearings as hearing_actions
from liuhen.cases.actions import suspensions as suspension_actions
from liuhen.cases.actions import workflow as workflow_actions
from liuhen.cases.actions.registration import link_party
from liuhen.cases.models import Stage
from liuhen.core.access import AccessDenied
from liuhen.subjects import actions as subjects
from tests.activities.helpers import seed_types
from tests.factories import CertificateFactory, UserFactory
from tests.scenarios.helpers import approve_all, refusal_reason

pytestmark = pytest.mark.django_db

ACTS_DAYS_AGO = 45  # the on-site acts; the advance notice follows 15 days later


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


def _activity(actor, case, code, officers, party, hours_ago):
    if not ActivityType.objects.filter(code=code).exists():
        seed_types()
    start = timezone.now() - dt.timedelta(days=ACTS_DAYS_AGO, hours=hours_ago)
    return activities.record_activity(
        actor,
        case=case,
        type=ActivityType.objects.get(code=code),
        started_at=start,
        ended_at=start + dt.timedelta(minutes=40),
        place="大洼区田家街道某农资店",
        officers=officers,
        party=party,
    )


@override("zh-hans")
def test_ordinary_case_with_on_site_activities(
    officer_wang, head_zhang, agency_head_liu, reviewer_sun, unit_a
):
    heads = (head_zhang, agency_head_liu)
    officer_ma = UserFactory(
        username="officer_ma", full_name="马骏", unit=unit_a, roles=[Role.OFFICER]
    )
    CertificateFactory(officer=officer_ma)
    trainee = UserFactory(
        username="trainee_he", full_name="何新", unit=unit_a, roles=[Role.OFFICER]
    )
    shop = subjects.create_subject(officer_wang, kind="unit", name="某农资经营部")

    lead = filing.record_lead(
        officer_wang, source="inspection", summary="检查发现某农资店疑似销售假农药", unit=unit_a
    )
    request, _warnings = filing.propose_filing(
        officer_wang, lead, title="某农资店销售假农药案", field="农药", officers=[officer_ma]
    )
    approve_all(request, *heads)
    lead.refresh_from_db()
    case = lead.case
    assert case.stage == Stage.INVESTIGATION
    link_party(officer_wang, case, shop)

    # Urgent start of advance preservation: the act first, its paperwork after (R7.2).
    urgent = approval_actions.start_urgently(
        officer_wang, case, "advance_preservation", "货物可能被转移"
    )

    # 中止调查: approved by the heads, it holds the case in its stage until resumed.
    suspension = suspension_actions.suspend_investigation(
        officer_wang, case, ground="related_case", reason="等待农药产品质量检验结果"
    )
    approve_all(suspension.approval, *heads)
    reason = refusal_reason(workflow_actions.advance_stage, officer_wang, case)
    assert "中止" in reason
    resumption = suspension_actions.resume_investigation(
        officer_wang, case, reason="检验报告已出具"
    )
    assert "中止" in refusal_reason(workflow_actions.advance_stage, officer_wang, case)
    approve_all(resumption.approval, *heads)
    assert not suspensions.is_suspended(case)

    # R4.2: an on-site act needs two officers holding valid certificates.
    reason = refusal_reason(
        _activity, officer_wang, case, "inspection", [officer_wang, trainee], shop, 5
    )
    assert "执法证" in reason and "何新" in reason
    inspection = _activity(officer_wang, case, "inspection", [officer_wang, officer_ma], shop, 5)
    sampling = _activity(officer_wang, case, "sampling", [officer_wang, officer_ma], shop, 4)
    preservation = _activity(
        officer_wang, case, "advance_preservation", [officer_wang, officer_ma], shop, 3
    )
    approve_all(urgent, *heads)

    # R5.2: no AV record is linked, so the investigation may not close.
    reason = refusal_reason(workflow_actions.advance_stage, officer_wang, case)
    assert "音像" in reason or "录音录像" in reason
    exemptions = [
        activities.request_av_exemption(
            officer_wang, activity, reason="执法记录仪故障，现场无法录像，已拍照留存"
        )
        for activity in (inspection, sampling, preservation)
    ]
    # The exemptions wait in the unit head's approval inbox (R7.1); only the unit head
    # approves, with an opinion — not the requesting officer.
    assert {e.approval for e in exemptions} <= set(approvals.inbox(head_zhang))
    with pytest.raises(AccessDenied):
        approval_actions.decide(officer_wang, exemptions[0].approval, approve=True, opinion="同意")
    for exemption in exemptions[:2]:
        approve_all(exemption.approval, head_zhang)
    # The third is rejected: the reason must say more; the officer asks again.
    approval_actions.decide(
        head_zhang, exemptions[2].approval, approve=False, opinion="理由不充分，请补充说明"
    )
    reason = refusal_reason(workflow_actions.advance_stage, officer_wang, case)
    assert "先行登记保存" in reason  # the one still without AV or exemption
    again = activities.request_av_exemption(
        officer_wang,
        preservation,
        reason="执法记录仪故障，备用设备亦无电，已拍照留存并由当事人签字确认",
    )
    approve_all(again.approval, head_zhang)

    case = workflow_actions.advance_stage(officer_wang, case)
    assert case.stage == Stage.DECISION
    case.complex_or_serious = True
    case.save(update_fields=["complex_or_serious"])
    reason = refusal_reason(workflow_actions.advance_stage, officer_wang, case)
    assert "处罚决定" in reason and "事先告知" in reason and "集体讨论" in reason

    notified_at = timezone.now() - dt.timedelta(days=ACTS_DAYS_AGO - 15)
    notice = decision_actions.record_advance_notice(
        officer_wang,
        case,
        notified_at=notified_at,
        notified_to="某农资经营部 法定代表人张三",
        method="直接送达",
        penalty_kinds=["fine", "confiscate_goods"],
        proposed_fine_fen=8_000_00,
    )

    # 听证: asked within 5 working days of the notice (Art. 64(1)), not later.
    ask = {"requested_by_party": "法定代表人张三", "request_method": "书面申请"}
    closes = hearings.request_window_closes(notice)
    reason = refusal_reason(
        hearing_actions.request_hearing,
        officer_wang,
        notice,
        requested_at=_at(closes + dt.timedelta(days=1), 9),
        **ask,
    )
    assert "逾期" in reason and f"{closes:%Y-%m-%d}" in reason
    hearing = hearing_actions.request_hearing(
        officer_wang, notice, requested_at=notified_at + dt.timedelta(days=1), **ask
    )
    # The chair is not an investigator; the party is told 7 working days ahead (Art. 64).
    chair = UserFactory(username="chair_qin", full_name="秦岭", roles=[Role.LEGAL_REVIEWER])
    told = notified_at + dt.timedelta(days=1, hours=2)
    hearing_day = hearings.earliest_hearing_day(told)
    arrange = {"place": "区农业农村局听证室", "notified_at": told, "clerk": trainee}
    reason = refusal_reason(
        hearing_actions.schedule_hearing,
        officer_wang,
        hearing,
        chair=officer_ma,
        scheduled_at=_at(hearing_day, 9),
        **arrange,
    )
    assert "马骏" in reason and "主持" in reason
    reason = refusal_reason(
        hearing_actions.schedule_hearing,
        officer_wang,
        hearing,
        chair=chair,
        scheduled_at=_at(hearing_day - dt.timedelta(days=1), 9),
        **arrange,
    )
    assert "工作日" in reason and f"{hearing_day:%Y-%m-%d}" in reason
    hearing_actions.schedule_hearing(
        officer_wang, hearing, chair=chair, scheduled_at=_at(hearing_day, 9), **arrange
    )
    hearing_actions.record_hearing_held(
        chair,
        hearing,
        held_at=_at(hearing_day, 9, 5),
        summary="当事人对违法事实无异议，请求从轻处罚",
        outcome="建议按告知内容作出处罚",
    )
    case.refresh_from_db()
    assert case.hearing_held and case.needs_legal_review
    reason = refusal_reason(
        decision_actions.record_decision,
        officer_wang,
        case,
        penalty_kinds=["fine"],
        fine_fen=8_000_00,
        facts="销售假农药",
        basis="《农药管理条例》第五十五条",
    )
    assert "法制审核" in reason and "集体讨论" in reason and "事先告知" not in reason
    decision_actions.record_legal_review(
        reviewer_sun, case, opinion="事实清楚，证据确凿", result="agree"
    )
    discussion = decision_actions.record_discussion(
        officer_wang,
        case,
        held_at=timezone.now(),
        attendees=[head_zhang, agency_head_liu],
        opinions="同意处罚",
        conclusion="罚款八千元，没收假农药",
        attendee_opinions={head_zhang.pk: "同意", agency_head_liu.pk: "同意"},
    )
    # R7.3: each attendee confirms their own opinion.
    for opinion in discussion.attendee_opinions.select_related("attendee"):
        decision_actions.confirm_opinion(opinion.attendee, opinion, text=opinion.drafted)
    approve_all(approval_actions.request_approval(officer_wang, case, "decision"), *heads)
    decision = decision_actions.record_decision(
        officer_wang,
        case,
        penalty_kinds=["fine", "confiscate_goods"],
        fine_fen=8_000_00,
        facts="销售假农药",
        basis="《农药管理条例》第五十五条",
    )
    assert "罚" in decision.number

    case = workflow_actions.advance_stage(officer_wang, case)
    assert case.stage == Stage.SERVICE
    assert "结案报告" in refusal_reason(
        workflow_actions.close_case, officer_wang, case, condition="executed"
    )
    approve_all(approval_actions.request_approval(officer_wang, case, "closing"), *heads)
    workflow_actions.close_case(officer_wang, case, condition="executed")
    # A closed case takes no more activities.
    reason = refusal_reason(
        _activity, officer_wang, case, "inspection", [officer_wang, officer_ma], shop, 1
    )
    assert "结" in reason
    case = workflow_actions.advance_stage(officer_wang, case)
    assert case.stage == Stage.ARCHIVING
