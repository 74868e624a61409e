"""Browser: an officer opens the register, clicks a case, reads the header and the timeline
in Chinese, and loads more timeline entries (htmx)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from liuhen.cases.actions import registration
from liuhen.core import audit
from tests.e2e.helpers import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_officer_opens_a_case_and_pages_through_its_timeline(
    page: Page, unit_a, officer_wang, head_zhang
) -> None:
    case = registration.create_case(
        head_zhang,
        title="某农资店涉嫌销售假农药案",
        field="农药",
        unit=unit_a,
        officers=[officer_wang, head_zhang],
    )
    for index in range(25):
        audit.record("case.change", actor=head_zhang, obj=case, details={"i": index})

    login(page, "officer_wang")
    page.goto("/cases/")
    page.get_by_role("link", name=case.number).click()

    expect(page.locator("[data-testid=case-number]")).to_have_text(case.number)
    expect(page.locator("[data-testid=case-title]")).to_have_text("某农资店涉嫌销售假农药案")
    expect(page.locator("[data-testid=case-unit]")).to_have_text("种植业执法科")
    stages = page.locator("[data-testid=case-stages] li")
    expect(stages).to_have_count(5)
    expect(page.locator("[data-testid=case-stages] [aria-current=step]")).to_contain_text("启动")
    expect(page.locator("[data-testid=case-officers]")).to_contain_text("王明")
    expect(page.locator("#section-timeline h2")).to_have_text("全程留痕")

    rows = page.locator("[data-testid=case-timeline] tr.timeline-entry")
    expect(rows).to_have_count(20)
    expect(rows.first).to_contain_text("查阅案件")  # this visit, newest first
    expect(rows.first).to_contain_text("王明")
    expect(rows.nth(1)).to_contain_text("张伟")

    page.locator("[data-testid=timeline-more]").click()
    # 1 registration + 25 changes + 1 view = 27 entries; all shown, no more button.
    expect(rows).to_have_count(27)
    expect(rows.last).to_contain_text("案件登记")
    expect(page.locator("[data-testid=timeline-more]")).to_have_count(0)
