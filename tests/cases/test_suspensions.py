"""Suspension 中止调查 and resumption 恢复调查 of the investigation (农业行政处罚程序规定: approved
by the agency's head): the decision clock does not count the suspended days and is paused
while a suspension runs; the case may not move on; access both ways."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import override

from liuhen.cases import deadlines, decisions, law, suspensions, workflow
from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.actions import suspensions as suspension_actions
from liuhen.cases.actions import workflow as workflow_actions
from liuhen.cases.models import (
    ApprovalRequest,
    Case,
    Decision,
    Procedure,
    Resumption,
    Stage,
    Suspension,
)
from liuhen.core import access, calendar
from liuhen.core.access import AccessDenied
from liuhen.core.models import AuditEvent
from tests.cases.helpers import denials
from tests.factories import CaseFactory, sign_in
from tests.fixtures.clock import at
from tests.scenarios.helpers import approve_all, refusal_reason

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def heads(head_zhang, agency_head_liu):
    return (head_zhang, agency_head_liu)


@pytest.fixture
def case_in_investigation_sep_1(unit_a, officer_wang):
    return CaseFactory(
        unit=unit_a,
        officers=[officer_wang],
        stage=Stage.INVESTIGATION,
        field="农药",
        opened_at=at(D(2026, 9, 1)),
    )


def _approved_on(approval_request, day):
    # The approval is signed through the chain now; date it to ``day`` for the clock.
    ApprovalRequest.objects.filter(pk=approval_request.pk).update(decided_at=at(day))


def _suspend(case, officer, heads, day=None):
    suspension = suspension_actions.suspend_investigation(
        officer, case, ground="related_case", reason="等待农药质量检验结果"
    )
    approve_all(suspension.approval, *heads)
    if day is not None:
        _approved_on(suspension.approval, day)
    return suspension


def _resume(case, officer, heads, day=None):
    resumption = suspension_actions.resume_investigation(officer, case, reason="检验报告已出具")
    approve_all(resumption.approval, *heads)
    if day is not None:
        _approved_on(resumption.approval, day)
    return resumption


def _decision_clock(case, today):
    [clock] = [c for c in deadlines.clocks_for_case(case, today=today) if c.code == "decision"]
    return clock


def _due(start: dt.date) -> dt.date:
    return calendar.deadline(start, law.decision_deadline_key()).due


# --- the decision clock ------------------------------------------------------------------


def test_suspended_days_are_not_counted(case_in_investigation_sep_1, officer_wang, heads):
    plain = _decision_clock(case_in_investigation_sep_1, D(2026, 10, 1))
    assert plain.due == _due(D(2026, 9, 1)) and not plain.paused
    _suspend(case_in_investigation_sep_1, officer_wang, heads, D(2026, 10, 1))
    _resume(case_in_investigation_sep_1, officer_wang, heads, D(2026, 10, 11))
    clock = _decision_clock(case_in_investigation_sep_1, D(2026, 10, 20))
    # 10 days suspended: the period runs as if it began on 09-11.
    assert clock.due == _due(D(2026, 9, 11)) and clock.paused_days == 10
    assert clock.started_on == D(2026, 9, 1) and not clock.paused
    if law.decision_deadline_key() == "decision_deadline":  # 90 days (Art. 60)
        assert plain.due == D(2026, 11, 30) and clock.due == D(2026, 12, 10)


@override("zh-hans")
def test_a_running_suspension_pauses_the_clock(case_in_investigation_sep_1, officer_wang, heads):
    _suspend(case_in_investigation_sep_1, officer_wang, heads, D(2026, 11, 1))
    early = _decision_clock(case_in_investigation_sep_1, D(2026, 11, 10))
    late = _decision_clock(case_in_investigation_sep_1, D(2026, 11, 20))
    assert early.paused and late.paused and early.paused_since == D(2026, 11, 1)
    assert early.due == _due(D(2026, 9, 10)) and late.due == _due(D(2026, 9, 20))
    assert "暂停" in str(late.label) and "中止" in str(late.label)
    if law.decision_deadline_key() == "decision_deadline":
        # 09-20 + 90 days = 12-19, a Saturday: the agency's own period does not roll
        # forward (民事诉讼法 Art. 85 is for the party's periods).
        assert late.due == D(2026, 12, 19)
    assert late.status != deadlines.Status.OVERDUE


def test_a_suspension_awaiting_approval_or_rejected_does_not_pause(
    case_in_investigation_sep_1, officer_wang, head_zhang, agency_head_liu
):
    suspension = suspension_actions.suspend_investigation(
        officer_wang,
        case_in_investigation_sep_1,
        ground="force_majeure",
        reason="洪涝灾害，无法现场调查",
    )
    assert not suspensions.is_suspended(case_in_investigation_sep_1)
    assert not _decision_clock(case_in_investigation_sep_1, D(2026, 10, 1)).paused
    approval_actions.decide(head_zhang, suspension.approval, approve=False, opinion="理由不充分")
    assert not suspensions.is_suspended(case_in_investigation_sep_1)
    assert _decision_clock(case_in_investigation_sep_1, D(2026, 10, 1)).due == _due(D(2026, 9, 1))
    # A new request may follow the rejected one.
    again = suspension_actions.suspend_investigation(
        officer_wang, case_in_investigation_sep_1, ground="force_majeure", reason="洪涝灾害持续"
    )
    approve_all(again.approval, head_zhang, agency_head_liu)
    assert suspensions.is_suspended(case_in_investigation_sep_1)


def test_a_decision_while_suspended_stops_the_count(
    case_in_investigation_sep_1, officer_wang, heads
):
    _suspend(case_in_investigation_sep_1, officer_wang, heads, D(2026, 10, 1))
    Decision.objects.create(
        case=case_in_investigation_sep_1,
        number="洼农（农药）罚〔2026〕9号",
        facts="事实",
        basis="依据",
        decided_by=officer_wang,
        decided_at=at(D(2026, 10, 5)),
    )
    clock = _decision_clock(case_in_investigation_sep_1, D(2026, 11, 1))
    assert clock.met_on == D(2026, 10, 5) and not clock.paused and clock.paused_days == 4


def test_open_clocks_with_suspensions_use_constant_queries(unit_a, officer_wang, heads):
    def add(count: int) -> None:
        for _ in range(count):
            case = CaseFactory(unit=unit_a, officers=[officer_wang], stage=Stage.INVESTIGATION)
            _suspend(case, officer_wang, heads, D(2026, 10, 1))
            _resume(case, officer_wang, heads, D(2026, 10, 8))

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            deadlines.open_clocks(Case.objects.all(), today=D(2026, 10, 20))
        return len(ctx.captured_queries)

    add(2)
    count()
    few = count()
    add(5)
    assert count() == few


# --- the stage is held while suspended -------------------------------------------------


@override("zh-hans")
def test_the_case_cannot_move_on_while_suspended(case_in_investigation_sep_1, officer_wang, heads):
    suspension = suspension_actions.suspend_investigation(
        officer_wang, case_in_investigation_sep_1, ground="party_missing", reason="当事人下落不明"
    )
    assert not [b for b in workflow.blockers(case_in_investigation_sep_1) if b.code == "suspended"]
    approve_all(suspension.approval, *heads)
    assert AuditEvent.objects.filter(
        action="case.investigation_suspended", case_id=case_in_investigation_sep_1.pk
    ).exists()
    with pytest.raises(ValidationError) as refused:
        workflow_actions.advance_stage(officer_wang, case_in_investigation_sep_1)
    assert "中止" in " ".join(refused.value.messages)
    resumption = suspension_actions.resume_investigation(
        officer_wang, case_in_investigation_sep_1, reason="当事人已到案"
    )
    assert "中止" in refusal_reason(
        workflow_actions.advance_stage, officer_wang, case_in_investigation_sep_1
    )  # not approved yet
    approve_all(resumption.approval, *heads)
    assert AuditEvent.objects.filter(action="case.investigation_resumed").exists()
    case_in_investigation_sep_1 = workflow_actions.advance_stage(
        officer_wang, case_in_investigation_sep_1
    )
    assert case_in_investigation_sep_1.stage == Stage.DECISION


# --- what may be suspended or resumed ------------------------------------------------


@override("zh-hans")
def test_refusals(case_in_investigation_sep_1, officer_wang, head_zhang, agency_head_liu, unit_a):
    heads = (head_zhang, agency_head_liu)
    assert "理由" in refusal_reason(
        suspension_actions.suspend_investigation,
        officer_wang,
        case_in_investigation_sep_1,
        ground="nonsense",
        reason="x",
    )
    assert "未中止" in refusal_reason(
        suspension_actions.resume_investigation,
        officer_wang,
        case_in_investigation_sep_1,
        reason="恢复",
    )
    suspension_actions.suspend_investigation(
        officer_wang, case_in_investigation_sep_1, ground="other", reason="待定"
    )
    assert "审批" in refusal_reason(
        suspension_actions.suspend_investigation,
        officer_wang,
        case_in_investigation_sep_1,
        ground="other",
        reason="待定",
    )
    approve_all(Suspension.objects.get(case=case_in_investigation_sep_1).approval, *heads)
    assert "已中止" in refusal_reason(
        suspension_actions.suspend_investigation,
        officer_wang,
        case_in_investigation_sep_1,
        ground="other",
        reason="待定",
    )
    rejected = suspension_actions.resume_investigation(
        officer_wang, case_in_investigation_sep_1, reason="恢复"
    )
    assert "审批" in refusal_reason(
        suspension_actions.resume_investigation,
        officer_wang,
        case_in_investigation_sep_1,
        reason="恢复",
    )
    approval_actions.decide(head_zhang, rejected.approval, approve=False, opinion="原因尚未消除")
    assert suspensions.is_suspended(case_in_investigation_sep_1)
    again = suspension_actions.resume_investigation(
        officer_wang, case_in_investigation_sep_1, reason="原因已消除"
    )
    approve_all(again.approval, *heads)
    assert not suspensions.is_suspended(case_in_investigation_sep_1)
    assert Resumption.objects.filter(suspension__case=case_in_investigation_sep_1).count() == 2

    simple = CaseFactory(unit=unit_a, officers=[officer_wang], procedure=Procedure.SIMPLE)
    assert "普通程序" in refusal_reason(
        suspension_actions.suspend_investigation, officer_wang, simple, ground="other", reason="x"
    )
    early = CaseFactory(unit=unit_a, officers=[officer_wang], stage=Stage.INITIATION)
    assert "立案" in refusal_reason(
        suspension_actions.suspend_investigation, officer_wang, early, ground="other", reason="x"
    )


def test_suspension_rows_are_write_once(case_in_investigation_sep_1, officer_wang, heads):
    suspension = _suspend(case_in_investigation_sep_1, officer_wang, heads)
    with pytest.raises(DatabaseError), transaction.atomic():
        Suspension.objects.filter(pk=suspension.pk).update(reason="改写")
    with pytest.raises(DatabaseError), transaction.atomic():
        Suspension.objects.filter(pk=suspension.pk).delete()


# --- access, both ways, and the page ---------------------------------------------------


def test_access_to_suspension(
    client,
    case_in_investigation_sep_1,
    officer_wang,
    head_zhang,
    officer_li,
    reviewer_sun,
    auditor_chen,
):
    for user in (officer_wang, head_zhang):
        assert access.can(user, "case.suspend", case_in_investigation_sep_1)
    for user in (officer_li, reviewer_sun, auditor_chen):
        assert not access.can(user, "case.suspend", case_in_investigation_sep_1)
    with pytest.raises(AccessDenied):
        suspension_actions.suspend_investigation(
            officer_li, case_in_investigation_sep_1, ground="other", reason="x"
        )
    assert AuditEvent.objects.filter(action="case.suspend", outcome="denied").exists()
    url = reverse("cases:suspension", args=[case_in_investigation_sep_1.pk])
    sign_in(client, officer_li)  # another unit's officer: the case is not there for them
    assert client.get(url).status_code == 404
    assert client.post(url, {"do": "suspend", "ground": "other", "reason": "x"}).status_code == 404
    # The denied action's own attempt above, and the two pages: all audited.
    assert denials("case.suspend", "cases.case", case_in_investigation_sep_1.pk) == 3
    sign_in(client, reviewer_sun)  # reads the case, does not work it
    assert client.get(url).status_code == 403
    assert denials("case.suspend", "cases.case", case_in_investigation_sep_1.pk) == 4
    assert not Suspension.objects.exists()


def test_suspension_page_sends_for_approval_then_resumes(
    client, case_in_investigation_sep_1, officer_wang, heads
):
    url = reverse("cases:suspension", args=[case_in_investigation_sep_1.pk])
    sign_in(client, officer_wang)
    assert "中止" in client.get(url).content.decode()
    response = client.post(
        url, {"do": "suspend", "ground": "interpretation", "reason": "送请有权机关解释"}
    )
    assert response.status_code == 302 and response.url.endswith("#section-hearings")
    suspension = Suspension.objects.get(case=case_in_investigation_sep_1)
    assert suspension.approval.step == "suspension" and suspension.requested_by == officer_wang
    detail = client.get(
        reverse("cases:detail", args=[case_in_investigation_sep_1.pk])
    ).content.decode()
    assert 'data-status="pending"' in detail
    approve_all(suspension.approval, *heads)
    detail = client.get(
        reverse("cases:detail", args=[case_in_investigation_sep_1.pk])
    ).content.decode()
    assert 'data-testid="suspended"' in detail and 'data-status="running"' in detail
    # The decision clock is shown paused, in the header and in the deadlines section.
    assert detail.count('data-status="paused"') == 2
    page = client.get(url).content.decode()
    assert 'data-testid="form-resume"' in page
    response = client.post(url, {"do": "resume", "reason": "已收到解释"})
    assert response.status_code == 302
    assert Resumption.objects.get(suspension=suspension).approval.step == "resumption"


@override("zh-hans")
def test_no_decision_while_suspended(unit_a, officer_wang, heads):
    case = CaseFactory(
        unit=unit_a, officers=[officer_wang], stage=Stage.DECISION, opened_at=at(D(2026, 9, 1))
    )
    _suspend(case, officer_wang, heads)
    assert any("中止" in r for r in decisions.decision_blockers(case, ["warning"], 0))
    _resume(case, officer_wang, heads)
    assert not any("中止" in r for r in decisions.decision_blockers(case, ["warning"], 0))
