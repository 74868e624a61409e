"""Browser, tablet: an inspection was recorded without AV; the officer asks for an exemption
with a written reason and the unit head, finding it in the approval inbox, signs it with an
opinion on the activity page (R5.2, R7.1). The case page then shows the exemption instead of
the missing-AV finding."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from liuhen.accounts.models import Role
from liuhen.activities.models import AvExemption
from liuhen.cases.actions import registration
from liuhen.core.models import AuditEvent
from tests.activities.helpers import record, seed_types
from tests.e2e.helpers import login
from tests.factories import CertificateFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

REASON = "执法记录仪电池耗尽，现场无备用设备，已制作现场检查笔录并由当事人签字确认"


def test_officer_requests_and_unit_head_approves_an_av_exemption(
    browser: Browser, live_server, tablet_page: Page, unit_a, officer_wang, head_zhang
) -> None:
    seed_types()  # the flush of a transactional test removed the migration's rows
    officer_ma = UserFactory(
        username="officer_ma", full_name="马骏", unit=unit_a, roles=[Role.OFFICER]
    )
    CertificateFactory(officer=officer_ma)
    case = registration.create_case(
        head_zhang,
        title="某农资店涉嫌销售假农药案",
        field="农药",
        unit=unit_a,
        officers=[officer_wang, officer_ma],
    )
    activity = record(officer_wang, case, [officer_wang, officer_ma])

    page = tablet_page
    login(page, "officer_wang", next_url=f"/cases/{case.pk}/")
    row = page.locator(f"[data-testid=case-activities] tr[data-activity='{activity.pk}']")
    expect(row.get_by_test_id("av-status")).to_have_text("缺少音像记录")
    expect(page.locator("[data-finding=av_missing]")).to_be_visible()
    row.get_by_role("link", name="现场检查（勘验）").tap()

    expect(page.get_by_test_id("activity-type")).to_have_text("现场检查（勘验）")
    form = page.get_by_test_id("exemption-form")
    form.get_by_label("申请免于音像记录").fill("设备故障")
    page.get_by_test_id("exemption-request").tap()
    expect(page.get_by_role("alert")).to_have_text("请填写书面理由（不少于10个字）。")
    assert not AvExemption.objects.exists()
    page.get_by_test_id("exemption-form").get_by_label("申请免于音像记录").fill(REASON)
    page.get_by_test_id("exemption-request").tap()
    expect(page.get_by_role("alert")).to_have_text("已申请免于音像记录，由科室负责人审批。")
    box = page.get_by_test_id("exemption")
    expect(box).to_contain_text("已申请免于音像记录，待科室负责人审批")
    expect(box).to_contain_text(REASON)
    expect(box).to_contain_text("申请人 王明")
    expect(page.get_by_test_id("exemption-approve")).to_have_count(0)  # not the officer's call

    head = browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    login(head, "head_zhang", next_url="/cases/approvals/")
    exemption = AvExemption.objects.get()
    card = head.get_by_test_id(f"approval-{exemption.approval_id}")
    expect(card).to_contain_text("免于音像记录")
    expect(card).to_contain_text(REASON)
    card.get_by_test_id("approval-activity").click()
    expect(head.get_by_test_id("exemption")).to_contain_text(REASON)
    # R7.1: the approval needs a written opinion.
    head.get_by_label("意见").fill("同意，设备故障情况属实")
    head.get_by_test_id("exemption-approve").click()
    expect(head.get_by_role("alert")).to_have_text("免于音像记录已批准。")
    box = head.get_by_test_id("exemption")
    expect(box).to_contain_text("免于音像记录已批准")
    expect(box).to_contain_text("批准人 张伟（科室负责人）")
    expect(box).to_contain_text("同意，设备故障情况属实")
    expect(head.get_by_test_id("exemption-approve")).to_have_count(0)
    head.context.close()
    assert AuditEvent.objects.filter(
        action="approval.decide", actor_name="head_zhang", case_id=case.pk
    ).exists()

    page.goto(f"/cases/{case.pk}/")
    expect(row.get_by_test_id("av-status")).to_have_text("免于音像记录已批准")
    expect(page.locator("[data-finding=av_missing]")).to_have_count(0)
