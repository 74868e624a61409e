"""An ordinary-procedure case walked through actions, from lead to archiving.

Every refused transition is asked for and must say why.
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from django.utils.translation import override

from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.actions import decisions as decision_actions
from liuhen.cases.actions import filing
from liuhen.cases.actions import workflow as workflow_actions
from liuhen.cases.models import LeadStatus, Stage
from tests.scenarios.helpers import approve_all, refusal_reason

pytestmark = pytest.mark.django_db


@override("zh-hans")
def test_ordinary_case_from_lead_to_archive(
    officer_wang, head_zhang, agency_head_liu, reviewer_sun, unit_a
):
    heads = (head_zhang, agency_head_liu)
    lead = filing.record_lead(
        officer_wang, source="complaint", summary="举报某农资店销售假冒农药", unit=unit_a
    )
    request, warnings = filing.propose_filing(
        officer_wang, lead, title="某农资店销售假农药案", field="农药", officers=[head_zhang]
    )
    assert warnings == []
    approve_all(request, *heads)
    lead.refresh_from_db()
    assert lead.status == LeadStatus.FILED
    case = lead.case
    assert case.stage == Stage.INVESTIGATION

    # Urgent start of advance preservation; its paperwork follows and is approved (R7.2).
    urgent = approval_actions.start_urgently(
        officer_wang, case, "advance_preservation", "货物可能被转移"
    )
    approve_all(urgent, *heads)

    case = workflow_actions.advance_stage(officer_wang, case)
    assert case.stage == Stage.DECISION
    case.complex_or_serious = True
    case.save(update_fields=["complex_or_serious"])

    reason = refusal_reason(workflow_actions.advance_stage, officer_wang, case)
    assert "处罚决定" in reason and "事先告知" in reason

    reason = refusal_reason(
        decision_actions.record_decision,
        officer_wang,
        case,
        penalty_kinds=["fine"],
        fine_fen=5_000_00,
        facts="销售假农药",
        basis="《农药管理条例》第五十五条",
    )
    assert "事先告知" in reason and "法制审核" in reason and "集体讨论" in reason

    notice = decision_actions.record_advance_notice(
        officer_wang,
        case,
        notified_at=timezone.now(),
        notified_to="某农资店 张三",
        method="直接送达",
        penalty_kinds=["fine", "confiscate_goods"],
        proposed_fine_fen=5_000_00,
    )
    decision_actions.record_waiver(
        officer_wang, notice, rights=["hearing"], statement="本人放弃听证"
    )
    decision_actions.record_legal_review(
        reviewer_sun, case, opinion="事实清楚，证据确凿", result="agree"
    )
    discussion = decision_actions.record_discussion(
        officer_wang,
        case,
        held_at=timezone.now(),
        attendees=[head_zhang, agency_head_liu],
        opinions="同意处罚",
        conclusion="罚款五千元，没收假农药",
        attendee_opinions={head_zhang.pk: "同意", agency_head_liu.pk: "同意"},
    )
    # R7.3: each attendee confirms their own opinion.
    for opinion in discussion.attendee_opinions.select_related("attendee"):
        decision_actions.confirm_opinion(opinion.attendee, opinion, text=opinion.drafted)
    approve_all(approval_actions.request_approval(officer_wang, case, "decision"), *heads)

    reason = refusal_reason(
        decision_actions.record_decision,
        officer_wang,
        case,
        penalty_kinds=["fine"],
        fine_fen=6_000_00,
        facts="销售假农药",
        basis="《农药管理条例》第五十五条",
    )
    assert "超过" in reason
    decision = decision_actions.record_decision(
        officer_wang,
        case,
        penalty_kinds=["fine", "confiscate_goods"],
        fine_fen=5_000_00,
        facts="销售假农药",
        basis="《农药管理条例》第五十五条",
    )
    assert "罚" in decision.number

    case = workflow_actions.advance_stage(officer_wang, case)
    assert case.stage == Stage.SERVICE
    assert "结案" in refusal_reason(workflow_actions.advance_stage, officer_wang, case)
    assert "结案报告" in refusal_reason(
        workflow_actions.close_case, officer_wang, case, condition="executed"
    )
    approve_all(approval_actions.request_approval(officer_wang, case, "closing"), *heads)
    workflow_actions.close_case(officer_wang, case, condition="executed")
    case = workflow_actions.advance_stage(officer_wang, case)
    assert case.stage == Stage.ARCHIVING
    assert "最后" in refusal_reason(workflow_actions.advance_stage, officer_wang, case)
