"""查封、扣押 (seizure or detention) needs the head's approval before it is carried out
(行政强制法 Art. 18(一)); in an emergency on the spot it is started urgently and approved
within 24 hours (Art. 19), and if the head refuses it is lifted at once (R7.1, R7.2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from liuhen.cases import approvals, compliance
from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.models import ApprovalStatus
from liuhen.core import rules
from tests.activities.helpers import record

pytestmark = pytest.mark.usefixtures("activity_types")


def _approve_all(request, *approvers):
    for approver in approvers:
        approval_actions.decide(approver, request, approve=True, opinion="同意")
        request.refresh_from_db()
    return request


def test_the_step_has_its_chain_rule():
    """R7.1: the seizure's approval chain is a rule like every step's (unit head, agency
    head by default)."""
    assert approvals.chain_for("seizure") == ["unit_head", "agency_head"]
    chain = rules.get("approval_chain_seizure")
    assert chain.kind == "codes" and "《中华人民共和国行政强制法》第18条第1项" in chain.citation
    assert rules.get("approval_chain_seizure_extension")


def test_a_seizure_without_approval_is_refused(officer_wang, officer_ma, case_a_two_officers):
    """行政强制法 Art. 18(一): 实施前须向行政机关负责人报告并经批准."""
    with pytest.raises(ValidationError) as refused:
        record(officer_wang, case_a_two_officers, [officer_wang, officer_ma], "seizure")
    assert "type" in refused.value.message_dict
    assert not case_a_two_officers.activities.exists()


def test_a_seizure_awaiting_approval_is_still_refused(
    officer_wang, officer_ma, case_a_two_officers
):
    """Asked for is not approved (Art. 18(一))."""
    approval_actions.request_approval(officer_wang, case_a_two_officers, "seizure")
    with pytest.raises(ValidationError):
        record(officer_wang, case_a_two_officers, [officer_wang, officer_ma], "seizure")


def test_an_approved_seizure_is_recorded(
    officer_wang, officer_ma, head_zhang, agency_head_liu, case_a_two_officers
):
    request = approval_actions.request_approval(officer_wang, case_a_two_officers, "seizure")
    _approve_all(request, head_zhang, agency_head_liu)
    assert request.status == ApprovalStatus.APPROVED
    activity = record(officer_wang, case_a_two_officers, [officer_wang, officer_ma], "seizure")
    assert activity.type.code == "seizure"


def test_a_seizure_outside_a_case_is_refused(officer_wang, officer_ma):
    """The approval is asked for within the case; a seizure is recorded there."""
    with pytest.raises(ValidationError) as refused:
        record(officer_wang, None, [officer_wang, officer_ma], "seizure")
    assert "case" in refused.value.message_dict


def test_other_activities_need_no_seizure_approval(officer_wang, officer_ma, case_a_two_officers):
    assert record(officer_wang, case_a_two_officers, [officer_wang, officer_ma], "inspection")


def test_an_urgent_seizure_is_recorded_and_due_within_24_hours(
    officer_wang, officer_ma, case_a_two_officers
):
    """Art. 19: 情况紧急需要当场实施的, reported to the head and approved within 24 hours."""
    request = approval_actions.start_urgently(
        officer_wang, case_a_two_officers, "seizure", "当事人正在转移涉案假农药"
    )
    assert request.report_due_at == request.urgent_started_at + dt.timedelta(hours=24)
    assert request.paperwork_due == timezone.localtime(request.report_due_at).date()
    rule = rules.get("urgent_seizure_report_hours")
    assert (rule.value, rule.kind, rule.maximum) == (24, "hours", 24)
    assert "《中华人民共和国行政强制法》第19条" in rule.citation
    assert record(officer_wang, case_a_two_officers, [officer_wang, officer_ma], "seizure")


@pytest.mark.finding_kind("urgent_seizure_not_lifted")
def test_a_refused_urgent_seizure_must_be_lifted(
    officer_wang, officer_ma, head_zhang, case_a_two_officers
):
    """Art. 19: 行政机关负责人认为不应当采取的, 应当立即解除: no further seizure is
    recorded on it, and a blocking finding stands until the seizure is lifted."""
    request = approval_actions.start_urgently(
        officer_wang, case_a_two_officers, "seizure", "当事人正在转移涉案假农药"
    )
    record(officer_wang, case_a_two_officers, [officer_wang, officer_ma], "seizure")
    codes = [f.code for f in compliance.findings_for_case(case_a_two_officers)]
    assert "urgent_seizure_not_lifted" not in codes
    approval_actions.decide(head_zhang, request, approve=False, opinion="不应当采取强制措施")
    [finding] = [
        f
        for f in compliance.findings_for_case(case_a_two_officers)
        if f.code == "urgent_seizure_not_lifted"
    ]
    assert finding.blocking and "解除查封（扣押）决定书" in str(finding.message)
    with pytest.raises(ValidationError):
        record(officer_wang, case_a_two_officers, [officer_wang, officer_ma], "seizure")


def test_the_extension_is_approved_once(
    officer_wang, head_zhang, agency_head_liu, case_a_two_officers
):
    """Art. 25: 延长期限不得超过三十日 — extended once."""
    request = approval_actions.request_approval(
        officer_wang, case_a_two_officers, "seizure_extension"
    )
    _approve_all(request, head_zhang, agency_head_liu)
    with pytest.raises(ValidationError) as refused:
        approval_actions.request_approval(officer_wang, case_a_two_officers, "seizure_extension")
    assert refused.value.code == "once"
    with pytest.raises(ValidationError):
        approval_actions.start_urgently(
            officer_wang, case_a_two_officers, "seizure_extension", "案情复杂"
        )
