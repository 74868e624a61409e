"""Browser: proposing the revocation of a licence 吊销许可证件 carries the right to a hearing
(行政处罚法 Art. 63 (三); 农业行政处罚程序规定 Art. 59). Unticking the hearing right is refused
in place with the law; with it the notice is recorded, and the case page's document picker
has the 听证 advance notice chosen already, which opens as a draft."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from liuhen.cases.models import AdvanceNotice, Stage
from tests.e2e.helpers import login
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_revocation_is_notified_with_the_hearing_right_on_its_form(
    page: Page, officer_wang, unit_a
) -> None:
    case = CaseFactory(unit=unit_a, officers=[officer_wang], stage=Stage.DECISION, field="农药")
    login(page, "officer_wang", next_url=f"/cases/{case.pk}/")
    page.click("[data-testid=to-advance-notice]")
    form = page.locator("[data-testid=form-notice]")
    form.locator("input[name=notified_at]").fill("2026-11-20T10:00")
    form.locator("input[name=notified_to]").fill("某农资店 张三")
    form.locator("input[name=method]").fill("直接送达")
    form.get_by_label("吊销许可证件", exact=True).check()
    form.get_by_label("听证", exact=True).uncheck()
    form.get_by_role("button", name="登记事先告知").click()
    expect(page.locator("[data-testid=form-error]")).to_contain_text("第六十三条")
    assert not AdvanceNotice.objects.exists()

    form = page.locator("[data-testid=form-notice]")
    form.get_by_label("听证", exact=True).check()
    form.get_by_role("button", name="登记事先告知").click()
    expect(page.locator("[data-testid=workflow-stage]")).to_be_visible()
    assert "hearing" in AdvanceNotice.objects.get(case=case).rights

    section = page.locator("[data-section=documents]")
    section.scroll_into_view_if_needed()
    expect(section.locator("[data-testid=hearing-right-required]")).to_contain_text("吊销许可证件")
    picker = section.locator("[data-testid=new-document-form]")
    expect(picker).to_have_value("advance_notice_hearing")
    expect(picker.locator("option[value=advance_notice]")).to_have_count(0)
    section.locator("[data-testid=new-document-create]").click()
    page.wait_for_url("**/documents/*/")
    expect(page.locator("[data-testid=document-title]")).to_have_text("行政处罚事先告知书（听证）")
