"""Browser: the officers named in the filing proposal become the case's officers; the unit
head assigns and releases officers (certificates checked, two certified kept) and adds and
removes a party with reasons; the case page shows who was assigned when, by whom (R4.1,
R4.2, R18.3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from liuhen.accounts.models import Role
from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.models import Lead
from tests.e2e.helpers import login
from tests.factories import CertificateFactory, unit_subject
from tests.fixtures.personas import make_person

pytestmark = pytest.mark.django_db(transaction=True)


def test_officers_named_at_filing_then_changed_by_the_unit_head(
    tablet_page: Page, officer_wang, officer_ma, head_zhang, agency_head_liu, unit_a
) -> None:
    page = tablet_page
    expired = make_person("officer_zhao", "赵刚", [Role.OFFICER], unit_a)
    expired.certificates.all().delete()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    CertificateFactory(officer=expired, valid_from=yesterday.replace(year=2020), valid_to=yesterday)
    shop = unit_subject(name="某农资经营部")

    login(page, "officer_wang", next_url="/cases/leads/new/")
    expect(page.locator("textarea[name=summary]")).to_have_class("form-control form-control-lg")
    page.select_option("select[name=source]", "complaint")
    page.fill("textarea[name=summary]", "群众举报某农资店销售假农药")
    page.get_by_role("button", name="保存").click()
    form = page.locator("[data-testid=filing-form]")
    form.locator("input[name=title]").fill("某农资店销售假农药案")
    form.get_by_label("赵刚").check()
    form.get_by_role("button", name="提交审批").click()
    expect(form).to_contain_text("赵刚")  # refused: no certificate valid today
    form.get_by_label("赵刚").uncheck()
    form.get_by_label("马骏").check()
    form.get_by_role("button", name="提交审批").click()
    expect(page.locator("[data-testid=lead-officers]")).to_have_text("王明、马骏")

    request = Lead.objects.get().approval_requests.get()
    for approver in (head_zhang, agency_head_liu):
        request.refresh_from_db()
        approval_actions.decide(approver, request, approve=True, opinion="同意")
    case = Lead.objects.get().case
    assert case is not None

    page.context.clear_cookies()
    login(page, "head_zhang", next_url=f"/cases/{case.pk}/")
    expect(page.locator("[data-testid=header-officers]")).to_contain_text("马骏")
    expect(page.locator("[data-testid=header-officers]")).to_contain_text("王明")
    page.click("[data-testid=assignment-link]")

    release = page.locator("[data-testid=form-release]")
    release.locator("select[name=officer]").select_option(label="马骏")
    release.locator("textarea[name=reason]").fill("调岗")
    release.get_by_role("button", name="撤下").click()
    expect(page.locator("[data-testid=form-release]")).to_contain_text("第四十二条")

    assign = page.locator("[data-testid=form-assign]")
    assign.locator("select[name=officer]").select_option(label="赵刚")
    assign.get_by_role("button", name="指派").click()
    expect(page.locator("[data-testid=form-assign]")).to_contain_text("执法证")
    assign = page.locator("[data-testid=form-assign]")
    assign.locator("select[name=officer]").select_option(label="张伟")
    assign.locator("textarea[name=reason]").fill("增派办案力量")
    assign.get_by_role("button", name="指派").click()
    expect(page.locator("[data-testid=header-officers]")).to_contain_text("张伟")

    page.click("[data-testid=assignment-link]")
    add = page.locator("[data-testid=form-add_party]")
    add.locator("select[name=subject]").select_option(label="某农资经营部（单位）")
    add.locator("textarea[name=reason]").fill("经调查确定当事人")
    add.get_by_role("button", name="添加").click()
    expect(page.locator("[data-testid=case-parties]")).to_contain_text("某农资经营部")

    page.click("[data-testid=assignment-link]")
    remove = page.locator("[data-testid=form-remove_party]")
    remove.locator("select[name=party]").select_option(index=1)
    remove.locator("textarea[name=reason]").fill("当事人认定错误")
    remove.get_by_role("button", name="移除").click()
    expect(page.locator("[data-testid=case-parties]")).not_to_contain_text("某农资经营部")

    history = page.locator("[data-testid=assignment-history]")
    expect(history).to_contain_text("当事人认定错误")
    expect(history).to_contain_text("增派办案力量")
    expect(history).to_contain_text(shop.name)
    expect(history).to_contain_text("张伟")
