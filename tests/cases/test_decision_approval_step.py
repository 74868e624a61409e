"""R7.1: the approval a page waits for is asked for on that page, with its chain shown —
the decision page asks for the decision's approval, the case page for any case step, and
the approval inbox shows each request's chain."""

from __future__ import annotations

import pytest
from django.urls import reverse

from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.models import ApprovalRequest, ApprovalStatus, Stage
from liuhen.core.models import AuditEvent
from tests.factories import CaseFactory, sign_in
from tests.fixtures.documents import approve
from tests.scenarios.helpers import approve_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def deciding_case(unit_a, officer_wang):
    return CaseFactory(unit=unit_a, officers=[officer_wang], stage=Stage.DECISION)


def _page(client, name, case, **query):
    url = reverse(name, args=[case.pk])
    return client.get(url, query).content.decode()


def test_the_decision_page_asks_for_the_decision_approval_and_shows_its_chain(
    client, deciding_case, officer_wang
) -> None:
    sign_in(client, officer_wang)
    page = _page(client, "cases:decide", deciding_case)
    assert 'data-step="decision" data-status="none"' in page
    assert page.count('data-testid="chain-place"') == 2
    assert "科室负责人" in page and "局负责人" in page
    assert 'data-testid="form-ask"' in page

    response = client.post(
        reverse("cases:decide", args=[deciding_case.pk]), {"do": "ask", "note": "请审批"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:decide", args=[deciding_case.pk])
    request = ApprovalRequest.objects.get(case=deciding_case, step="decision")
    assert request.status == ApprovalStatus.PENDING and request.note == "请审批"
    assert AuditEvent.objects.filter(action="approval.request", case_id=deciding_case.pk).exists()

    page = _page(client, "cases:decide", deciding_case)
    assert 'data-step="decision" data-status="pending"' in page
    assert 'data-state="pending"' in page and 'data-state="waiting"' in page
    assert 'data-testid="form-ask"' not in page  # one request awaits approval at a time


def test_the_chain_shows_who_approved_and_the_decision_page_stops_asking(
    client, deciding_case, officer_wang, head_zhang, agency_head_liu
) -> None:
    approve(officer_wang, deciding_case, "decision", head_zhang, agency_head_liu)
    sign_in(client, officer_wang)
    page = _page(client, "cases:decide", deciding_case)
    assert 'data-step="decision" data-status="approved"' in page
    assert page.count('data-state="approved"') == 2 and "张伟" in page and "刘建国" in page
    assert 'data-testid="form-ask"' not in page


def test_a_rejected_decision_can_be_asked_for_again(
    client, deciding_case, officer_wang, head_zhang
) -> None:
    request = approval_actions.request_approval(officer_wang, deciding_case, "decision")
    approval_actions.decide(head_zhang, request, approve=False, opinion="事实不清")
    sign_in(client, officer_wang)
    page = _page(client, "cases:decide", deciding_case)
    assert 'data-status="rejected"' in page and "事实不清" in page
    assert 'data-testid="form-ask"' in page


def test_the_case_page_asks_for_any_case_step(
    client, deciding_case, officer_wang, head_zhang, agency_head_liu
) -> None:
    sign_in(client, officer_wang)
    detail = _page(client, "cases:detail", deciding_case)
    assert reverse("cases:ask_approval", args=[deciding_case.pk]) in detail
    page = _page(client, "cases:ask_approval", deciding_case, step="handling_opinion")
    assert 'data-step="handling_opinion" data-status="none"' in page
    assert '<option value="handling_opinion" selected>' in page
    response = client.post(
        reverse("cases:ask_approval", args=[deciding_case.pk]),
        {"step": "handling_opinion", "note": "拟处警告"},
    )
    assert response.status_code == 302
    request = ApprovalRequest.objects.get(case=deciding_case, step="handling_opinion")
    approve_all(request, head_zhang, agency_head_liu)
    page = _page(client, "cases:detail", deciding_case)
    assert "案件处理意见书" in page and page.count('data-state="approved"') == 2


def test_only_those_who_may_ask_see_and_use_the_ask_page(
    client, deciding_case, officer_li, reviewer_sun
) -> None:
    url = reverse("cases:ask_approval", args=[deciding_case.pk])
    sign_in(client, officer_li)  # another unit: the case is not seen
    assert client.get(url).status_code == 404
    assert client.post(url, {"step": "decision"}).status_code == 404
    sign_in(client, reviewer_sun)
    assert client.post(url, {"step": "decision"}).status_code in (403, 404)
    assert not ApprovalRequest.objects.exists()
    assert AuditEvent.objects.filter(
        action="approval.request", outcome="denied", case_id=deciding_case.pk
    ).exists()


def test_the_inbox_shows_each_requests_chain(
    client, deciding_case, officer_wang, head_zhang, agency_head_liu
) -> None:
    request = approval_actions.request_approval(officer_wang, deciding_case, "decision")
    approval_actions.decide(head_zhang, request, approve=True, opinion="同意，报局长。")
    sign_in(client, agency_head_liu)
    page = client.get(reverse("cases:approvals")).content.decode()
    card = page[page.index(f'data-testid="approval-{request.pk}"') :]
    assert 'data-testid="approval-chain"' in card
    assert 'data-state="approved"' in card and "同意，报局长。" in card
    assert 'data-state="pending"' in card
