"""Browser, tablet: the officer records the advance notice on the case page's workflow
section; with the decision approved (earlier steps set up by actions) the decision is
recorded and shows on the case page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.models import AdvanceNotice, Decision, Stage
from tests.e2e.helpers import login
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_advance_notice_then_decision(
    tablet_page: Page, officer_wang, head_zhang, agency_head_liu, unit_a
) -> None:
    case = CaseFactory(unit=unit_a, officers=[officer_wang], stage=Stage.DECISION, field="农药")
    request = approval_actions.request_approval(officer_wang, case, "decision")
    for person in (head_zhang, agency_head_liu):
        request.refresh_from_db()
        approval_actions.decide(person, request, approve=True, opinion="同意")

    page = tablet_page
    login(page, "officer_wang", next_url=f"/cases/{case.pk}/")
    page.click("[data-testid=to-advance-notice]")
    form = page.locator("[data-testid=form-notice]")
    form.locator("input[name=notified_at]").fill("2026-11-20T10:00")
    form.locator("input[name=notified_to]").fill("某农资店 张三")
    form.locator("input[name=method]").fill("直接送达")
    form.get_by_label("罚款", exact=True).check()
    form.locator("input[name=proposed_fine_yuan]").fill("1000")
    form.get_by_role("button", name="登记事先告知").click()
    expect(page.locator("[data-testid=workflow-stage]")).to_have_text("审核决定")
    expect(page.locator("[data-testid=to-decide]")).to_be_visible()
    assert AdvanceNotice.objects.get(case=case).proposed_fine_fen == 1000_00

    page.click("[data-testid=to-decide]")
    expect(page.locator("[data-testid=help-fine_yuan]")).to_contain_text("¥1,000.00")
    form = page.locator("[data-testid=form-decide]")
    form.get_by_label("罚款", exact=True).check()
    form.locator("input[name=fine_yuan]").fill("800")
    form.locator("textarea[name=facts]").fill("销售假农药")
    form.locator("textarea[name=basis]").fill("《农药管理条例》第五十五条")
    form.get_by_role("button", name="登记处罚决定").click()
    expect(page.locator("[data-testid=workflow-decision]")).to_be_visible()
    decision = Decision.objects.get(case=case)
    expect(page.locator("[data-testid=workflow-decision]")).to_contain_text(decision.number)
    expect(page.locator("[data-testid=workflow-decision]")).to_contain_text("¥800.00")
