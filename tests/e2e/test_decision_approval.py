"""Browser, tablet: the decision page refuses a decision not yet approved, so it asks for
the approval itself and shows the chain (R7.1); the unit head and then the agency head,
each logged in, approve from their approval inbox; the officer then records the decision."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from liuhen.cases.actions import decisions as decision_actions
from liuhen.cases.models import ApprovalRequest, ApprovalStatus, Decision, Stage
from liuhen.core.models import AuditEvent
from tests.e2e.helpers import login
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _approve_from_inbox(browser: Browser, live_server, username: str, opinion: str) -> None:
    page = browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    login(page, username, next_url="/cases/approvals/")
    request = ApprovalRequest.objects.get(step="decision")
    card = page.get_by_test_id(f"approval-{request.pk}")
    expect(card).to_contain_text("行政处罚决定")
    expect(card.get_by_test_id("approval-chain")).to_be_visible()
    expect(card.locator("[data-testid=chain-place][data-state=pending]")).to_have_count(1)
    card.get_by_label("意见", exact=True).fill(opinion)
    card.get_by_role("button", name="同意", exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()
    page.context.close()


def test_officer_asks_for_the_decision_approval_and_decides_once_approved(
    browser: Browser,
    live_server,
    tablet_page: Page,
    unit_a,
    officer_wang,
    head_zhang,
    agency_head_liu,
) -> None:
    case = CaseFactory(unit=unit_a, officers=[officer_wang], stage=Stage.DECISION, field="农药")
    decision_actions.record_advance_notice(
        officer_wang,
        case,
        notified_at=timezone.now(),
        notified_to="某农资店 张三",
        method="直接送达",
        penalty_kinds=["warning"],
        proposed_fine_fen=0,
    )

    page = tablet_page
    login(page, "officer_wang", next_url=f"/cases/{case.pk}/")
    page.click("[data-testid=to-decide]")
    state = page.locator("[data-testid=approval-state][data-step=decision]")
    expect(state).to_have_attribute("data-status", "none")
    places = state.get_by_test_id("chain-place")
    expect(places).to_have_count(2)
    expect(places.nth(0)).to_contain_text("科室负责人")
    expect(places.nth(1)).to_contain_text("局负责人")

    ask = page.get_by_test_id("form-ask")
    ask.get_by_label("报批说明").fill("案件已告知，请审批行政处罚决定。")
    ask.get_by_role("button", name="提交审批").click()
    expect(page.get_by_role("alert")).to_contain_text("已提交审批")
    expect(state).to_have_attribute("data-status", "pending")
    expect(places.nth(0)).to_have_attribute("data-state", "pending")
    expect(places.nth(1)).to_have_attribute("data-state", "waiting")
    expect(page.get_by_test_id("form-ask")).to_have_count(0)  # asked once, shown as pending

    # Deciding before the chain has approved is still refused, with the chain in view.
    form = page.get_by_test_id("form-decide")
    form.get_by_label("警告", exact=True).check()
    form.locator("textarea[name=facts]").fill("销售假农药")
    form.locator("textarea[name=basis]").fill("《农药管理条例》第五十五条")
    form.get_by_role("button", name="登记处罚决定").click()
    expect(page.get_by_test_id("form-decide")).to_contain_text("尚未经审批")
    assert not Decision.objects.exists()

    _approve_from_inbox(browser, live_server, "head_zhang", "同意，报局长审批。")
    _approve_from_inbox(browser, live_server, "agency_head_liu", "同意处罚。")
    request = ApprovalRequest.objects.get(step="decision")
    assert request.status == ApprovalStatus.APPROVED
    assert AuditEvent.objects.filter(action="approval.decide", case_id=case.pk).count() == 2

    page.goto(f"/cases/{case.pk}/decide/")
    expect(state).to_have_attribute("data-status", "approved")
    expect(places.nth(0)).to_contain_text("张伟")
    expect(places.nth(1)).to_contain_text("同意处罚。")
    form = page.get_by_test_id("form-decide")
    form.get_by_label("警告", exact=True).check()
    form.locator("textarea[name=facts]").fill("销售假农药")
    form.locator("textarea[name=basis]").fill("《农药管理条例》第五十五条")
    form.get_by_role("button", name="登记处罚决定").click()
    expect(page.get_by_test_id("workflow-decision")).to_be_visible()
    assert Decision.objects.filter(case=case).exists()
