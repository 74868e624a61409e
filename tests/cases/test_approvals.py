from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from liuhen.cases import approvals
from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.models import Approval, ApprovalStatus
from liuhen.core import calendar
from liuhen.core.access import AccessDenied, can
from liuhen.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_chain_unit_head_then_agency_head(case_a, officer_wang, head_zhang, agency_head_liu):
    req = approval_actions.request_approval(officer_wang, case_a, "closing", note="结案")
    assert req.chain == ["unit_head", "agency_head"]
    approval_actions.decide(head_zhang, req, approve=True, opinion="同意")
    req.refresh_from_db()
    assert req.status == ApprovalStatus.PENDING and req.current_role == "agency_head"
    approval_actions.decide(agency_head_liu, req, approve=True, opinion="同意结案")
    req.refresh_from_db()
    assert req.status == ApprovalStatus.APPROVED
    assert approvals.is_approved(case_a, "closing")
    signed = list(req.approvals.values_list("role", "approver__username", "opinion"))
    assert signed == [
        ("unit_head", "head_zhang", "同意"),
        ("agency_head", "agency_head_liu", "同意结案"),
    ]
    assert AuditEvent.objects.filter(action="approval.decide", case_id=case_a.pk).count() == 2


def test_rejection_ends_the_chain(case_a, officer_wang, head_zhang, agency_head_liu):
    req = approval_actions.request_approval(officer_wang, case_a, "closing")
    approval_actions.decide(head_zhang, req, approve=False, opinion="材料不全")
    req.refresh_from_db()
    assert req.status == ApprovalStatus.REJECTED
    assert not can(agency_head_liu, "approval.decide", req)


def test_opinion_required(case_a, officer_wang, head_zhang):
    req = approval_actions.request_approval(officer_wang, case_a, "closing")
    with pytest.raises(ValidationError):
        approval_actions.decide(head_zhang, req, approve=True, opinion="  ")


def test_wrong_role_and_wrong_unit_refused(
    case_a, officer_wang, officer_li, head_zhang, agency_head_liu, unit_b
):
    from tests.fixtures.personas import make_person

    head_b = make_person("head_b", "B科长", ["unit_head"], unit_b)
    req = approval_actions.request_approval(officer_wang, case_a, "closing")
    # The agency head signs second, not first; another unit's head not at all.
    assert not can(agency_head_liu, "approval.decide", req)
    assert not can(head_b, "approval.decide", req)
    assert not can(officer_li, "approval.decide", req)
    assert can(head_zhang, "approval.decide", req)
    with pytest.raises(AccessDenied):
        approval_actions.decide(head_b, req, approve=True, opinion="同意")
    assert AuditEvent.objects.filter(action="approval.decide", outcome="denied").exists()


def test_self_approval_refused(case_a, head_zhang, agency_head_liu):
    req = approval_actions.request_approval(head_zhang, case_a, "closing")
    assert not can(head_zhang, "approval.decide", req)
    with pytest.raises(AccessDenied):
        approval_actions.decide(head_zhang, req, approve=True, opinion="同意")


def test_request_needs_case_change(case_a, officer_li, officer_wang):
    with pytest.raises(AccessDenied):
        approval_actions.request_approval(officer_li, case_a, "closing")
    approval_actions.request_approval(officer_wang, case_a, "closing")
    with pytest.raises(ValidationError):
        approval_actions.request_approval(officer_wang, case_a, "closing")  # one pending at a time


def test_approval_rows_are_write_once(case_a, officer_wang, head_zhang):
    req = approval_actions.request_approval(officer_wang, case_a, "closing")
    approval = approval_actions.decide(head_zhang, req, approve=True, opinion="同意")
    with pytest.raises(DatabaseError), transaction.atomic():
        Approval.objects.filter(pk=approval.pk).update(opinion="改过")
    with pytest.raises(DatabaseError), transaction.atomic():
        Approval.objects.filter(pk=approval.pk).delete()
    assert Approval.objects.get(pk=approval.pk).opinion == "同意"


def test_inbox(case_a, officer_wang, head_zhang, agency_head_liu, officer_li):
    req = approval_actions.request_approval(officer_wang, case_a, "closing")
    assert list(approvals.inbox(head_zhang)) == [req]
    assert list(approvals.inbox(agency_head_liu)) == []
    assert can(head_zhang, "approval.list") and not can(officer_li, "approval.list")
    approval_actions.decide(head_zhang, req, approve=True, opinion="同意")
    assert list(approvals.inbox(agency_head_liu)) == [req]


def test_urgent_start_paperwork_due_and_overdue(case_a, officer_wang, head_zhang, agency_head_liu):
    # R7.2's working days; a seizure or an advance preservation counts hours instead.
    req = approval_actions.start_urgently(officer_wang, case_a, "decision", "当事人即将离境")
    today = timezone.localdate()
    assert req.paperwork_due == calendar.add_working_days(today, 2)
    assert not req.is_overdue(today)
    late = req.paperwork_due + dt.timedelta(days=1)
    assert req.is_overdue(late)
    assert approvals.overdue_paperwork(late) == [req]
    # The later request for the same step is the paperwork of the urgent start.
    assert approval_actions.request_approval(officer_wang, case_a, "decision").pk == req.pk
    approval_actions.decide(head_zhang, req, approve=True, opinion="同意")
    req.refresh_from_db()
    approval_actions.decide(agency_head_liu, req, approve=True, opinion="同意")
    req.refresh_from_db()
    assert not req.is_overdue(late)
    assert AuditEvent.objects.filter(action="approval.urgent_start", case_id=case_a.pk).exists()


def test_urgent_advance_preservation_is_due_within_24_hours(case_a, officer_wang, time_machine):
    """农业行政处罚程序规定 (先行登记保存, 情况紧急): 二十四小时内补办批准手续 — the rule
    ``urgent_preservation_report_hours``, not R7.2's working days."""
    req = approval_actions.start_urgently(
        officer_wang, case_a, "advance_preservation", "证据可能灭失"
    )
    assert req.report_due_at == req.urgent_started_at + dt.timedelta(hours=24)
    assert req.paperwork_due == timezone.localtime(req.report_due_at).date()
    assert not req.is_overdue()
    time_machine.move_to(req.report_due_at + dt.timedelta(minutes=1), tick=False)
    assert req.is_overdue()


def test_urgent_start_needs_reason_and_access(case_a, officer_wang, officer_li):
    with pytest.raises(ValidationError):
        approval_actions.start_urgently(officer_wang, case_a, "advance_preservation", " ")
    with pytest.raises(AccessDenied):
        approval_actions.start_urgently(officer_li, case_a, "advance_preservation", "紧急")


def test_who_may_view_an_approval_request(
    case_a, officer_wang, officer_li, head_zhang, agency_head_liu, supervisor_zheng, sysadmin_zhao
):
    req = approval_actions.request_approval(officer_wang, case_a, "closing")
    # Readers of the case, and the approver whose turn it is.
    for person in (officer_wang, head_zhang, agency_head_liu, supervisor_zheng):
        assert can(person, "approval.view", req), person
    # Another unit's officer and the administrators are refused.
    for person in (officer_li, sysadmin_zhao):
        assert not can(person, "approval.view", req), person


def test_approval_with_experts_keeps_their_opinion(client, case_a, officer_wang, head_zhang):
    """R7.4 on the approval screen: the experts and their written opinion are signed with it."""
    from tests.factories import sign_in

    req = approval_actions.request_approval(officer_wang, case_a, "closing")
    sign_in(client, head_zhang)
    assert f'data-testid="experts-{req.pk}"' in client.get("/cases/approvals/").content.decode()
    post = {"decision": "approve", "opinion": "同意", "experts": "专家 王教授"}
    client.post(f"/cases/approvals/{req.pk}/decide/", post)
    assert not Approval.objects.exists()  # refused: no minutes or opinion
    client.post(f"/cases/approvals/{req.pk}/decide/", {**post, "expert_opinion": "会议纪要"})
    signed = Approval.objects.get()
    assert (signed.experts, signed.expert_opinion) == ("专家 王教授", "会议纪要")
    page = client.get(f"/cases/{case_a.pk}/").content.decode()
    assert 'data-testid="approval-experts"' in page and "会议纪要" in page
