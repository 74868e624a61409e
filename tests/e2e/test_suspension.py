"""Browser, tablet: an officer asks to suspend the investigation 中止调查; the unit head signs
on the approval screen with a legal adviser's written opinion (R7.4), the agency head
signs; the case page then shows the suspension and the decision deadline as paused."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from liuhen.cases.models import Approval, Stage
from tests.e2e.helpers import login
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _sign(page: Page, username: str, opinion: str, adviser: str = "") -> None:
    page.context.clear_cookies()
    login(page, username, next_url="/cases/approvals/")
    card = page.locator("[data-testid^=approval-]").first
    expect(card).to_contain_text("中止调查")
    card.locator("textarea[name=opinion]").fill(opinion)
    if adviser:
        card.locator("summary").click()
        card.locator("input[name=experts]").fill(adviser)
        card.locator("textarea[name=expert_opinion]").fill("书面意见：符合中止调查条件")
    card.get_by_role("button", name="同意", exact=True).click()
    expect(page.locator("[data-testid=approvals-empty]")).to_be_visible()


def test_suspension_is_asked_for_approved_and_pauses_the_decision_clock(
    tablet_page: Page, officer_wang, head_zhang, agency_head_liu, unit_a
) -> None:
    case = CaseFactory(unit=unit_a, officers=[officer_wang], stage=Stage.INVESTIGATION)
    page = tablet_page
    login(page, "officer_wang", next_url=f"/cases/{case.pk}/")
    page.locator("[data-section=hearings] [data-testid=to-suspension]").click()
    form = page.locator("[data-testid=form-suspend]")
    form.locator("select[name=ground]").select_option("interpretation")
    form.get_by_role("button", name="提交审批").click()
    # Without a reason: refused in place, in Chinese.
    expect(page.locator("[data-testid=form-suspend]")).to_contain_text("必填")
    form = page.locator("[data-testid=form-suspend]")
    form.locator("textarea[name=reason]").fill("适用法律问题已送请有权机关解释")
    form.get_by_role("button", name="提交审批").click()
    expect(page.locator("[data-section=hearings] [data-testid=case-suspensions]")).to_be_visible()

    _sign(page, "head_zhang", "同意中止调查", adviser="法律顾问 李律师")
    _sign(page, "agency_head_liu", "同意")
    signed = Approval.objects.get(role="unit_head")
    assert signed.experts == "法律顾问 李律师" and signed.expert_opinion

    page.context.clear_cookies()
    login(page, "officer_wang", next_url=f"/cases/{case.pk}/")
    expect(page.locator("[data-testid=suspended]")).to_be_visible()
    header = page.locator("[data-testid=case-header-deadlines]")
    expect(header.locator("[data-status=paused]")).to_be_visible()
    expect(page.locator("#section-approvals")).to_contain_text("法律顾问 李律师")
    expect(page.locator("[data-section=hearings] [data-testid=to-suspension]")).to_contain_text(
        "恢复调查"
    )
