"""Browser: an officer records a lead and proposes filing; the unit head and the agency head
approve it on the approval screen; the case appears in the register."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from liuhen.cases.models import Lead
from tests.e2e.helpers import login

pytestmark = pytest.mark.django_db(transaction=True)


def _approve(page: Page, username: str, opinion: str) -> None:
    page.context.clear_cookies()
    login(page, username, next_url="/cases/approvals/")
    card = page.locator("[data-testid^=approval-]").first
    expect(card).to_contain_text("某种子店销售假种子案")
    card.locator("textarea[name=opinion]").fill(opinion)
    card.get_by_role("button", name="同意", exact=True).click()
    expect(page.locator("[data-testid=approvals-empty]")).to_be_visible()


def test_lead_to_filed_case(
    tablet_page: Page, officer_wang, officer_ma, head_zhang, agency_head_liu
) -> None:
    page = tablet_page
    login(page, "officer_wang", next_url="/cases/leads/")
    page.click("[data-testid=lead-create]")
    page.select_option("select[name=source]", "complaint")
    page.fill("textarea[name=summary]", "群众举报某种子店销售假种子")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("[data-testid=lead-status]")).to_have_text("核查中")
    form = page.locator("[data-testid=filing-form]")
    form.locator("input[name=title]").fill("某种子店销售假种子案")
    form.locator("select[name=field]").select_option("种子")
    form.get_by_role("button", name="提交审批").click()
    # Alone he is refused: a case is worked by two certified officers (R4.2).
    expect(form).to_contain_text("请选择本案的其他执法人员")
    form.get_by_label("马骏").check()
    form.get_by_role("button", name="提交审批").click()
    expect(page.locator("[data-testid=lead-status]")).to_have_text("待审批")

    _approve(page, "head_zhang", "同意立案")
    _approve(page, "agency_head_liu", "同意")

    case = Lead.objects.get().case
    assert case is not None
    page.goto("/cases/")
    page.get_by_role("link", name=case.number).click()
    expect(page.locator("[data-testid=case-title]")).to_have_text("某种子店销售假种子案")
    expect(page.locator("[data-testid=workflow-stage]")).to_have_text("调查取证")
    expect(page.locator("#section-approvals")).to_contain_text("同意立案")
