"""Browser, tablet: two officers record an on-site inspection; the case page lists it and
shows the failing check for the missing AV record (R4.2, R5.2)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from liuhen.accounts.models import Role
from liuhen.cases.actions import registration
from tests.activities.helpers import seed_types
from tests.e2e.helpers import login
from tests.factories import CertificateFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_officers_record_an_inspection_on_a_tablet(
    tablet_page: Page, unit_a, officer_wang, head_zhang
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
    page = tablet_page
    login(page, "officer_wang")
    page.goto(f"/cases/{case.pk}/")
    expect(page.locator("[data-testid=checks-clear]")).to_be_visible()
    page.locator("[data-testid=activity-new]").click()

    expect(page.get_by_role("heading", name="记录执法活动")).to_be_visible()
    page.locator("[data-testid=field-type]").select_option(label="现场检查（勘验）")
    page.locator("[data-testid=field-place]").fill("大洼区田家街道某农资店")
    # Only one officer first: refused, with the reason in Chinese.
    page.locator("[data-testid=activity-save]").tap()
    expect(page.locator("[data-testid=error-officers]")).to_contain_text("执法证")
    page.locator("[data-testid=officer-choice]", has_text="马骏").tap()
    page.locator("[data-testid=activity-save]").tap()

    expect(page.locator("[data-testid=activity-type]")).to_have_text("现场检查（勘验）")
    expect(page.locator("[data-testid=activity-officers]")).to_contain_text("马骏")
    expect(page.locator("[data-testid=av-checklist]")).to_contain_text("表明身份、出示执法证件")

    page.goto(f"/cases/{case.pk}/")
    row = page.locator("[data-testid=case-activities] tr[data-activity]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("现场检查（勘验）")
    expect(row.locator("[data-testid=av-status]")).to_contain_text("缺少音像记录")
    finding = page.locator("[data-finding=av_missing]")
    expect(finding).to_contain_text("依据：制度第五条")
    expect(finding).to_contain_text("需要音像记录")
    expect(finding).to_contain_text("阻止办结")
