"""Browser tests of the shell: navigation by role, in Chinese; the language switch; tablets."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import login

pytestmark = pytest.mark.django_db(transaction=True)

NAVIGATION = {
    "officer_wang": (
        [
            "home",
            "cases",
            "leads",
            "deadlines",
            "subjects",
            "media",
            "upload",
            "devices",
            "delivery",
            "retrieval",
            "profile",
        ],
        "执法记录仪",
    ),
    "head_zhang": (
        [
            "home",
            "cases",
            "leads",
            "approvals",
            "deadlines",
            "subjects",
            "media",
            "upload",
            "devices",
            "statistics",
            "delivery",
            "retrieval",
            "profile",
        ],
        "审批",
    ),
    "agency_head_liu": (
        [
            "home",
            "cases",
            "leads",
            "approvals",
            "unit-deadlines",
            "subjects",
            "media",
            "disposal-requests",
            "supervision",
            "statistics",
            "delivery",
            "disclosure",
            "retrieval",
            "profile",
        ],
        "执法科室期限",
    ),
    "reviewer_sun": (
        [
            "home",
            "cases",
            "leads",
            "subjects",
            "media",
            "delivery",
            "disclosure",
            "retrieval",
            "profile",
        ],
        "音像记录",
    ),
    "custodian_zhou": (
        [
            "home",
            "cases",
            "leads",
            "subjects",
            "media",
            "upload",
            "devices",
            "disposal",
            "delivery",
            "retrieval",
            "integrity",
            "profile",
        ],
        "音像销毁",
    ),
    "archivist_wu": (
        [
            "home",
            "cases",
            "leads",
            "subjects",
            "media",
            "delivery",
            "archives",
            "retrieval",
            "profile",
        ],
        "执法对象",
    ),
    "supervisor_zheng": (
        [
            "home",
            "cases",
            "leads",
            "subjects",
            "media",
            "supervision",
            "statistics",
            "delivery",
            "retrieval",
            "integrity",
            "profile",
        ],
        "完整性检查",
    ),
    "sysadmin_zhao": (
        ["home", "users", "units", "rules", "calendar", "numbering", "forms", "profile"],
        "工作日历",
    ),
    "secadmin_qian": (
        ["home", "users", "security", "seal", "integrity", "profile"],
        "安全设置",
    ),
    "auditor_chen": (["home", "audit", "audit-status", "profile"], "审计日志"),
}


@pytest.mark.parametrize("persona", NAVIGATION)
def test_each_role_sees_its_navigation_in_chinese(request, page: Page, persona: str) -> None:
    user = request.getfixturevalue(persona)
    expected, label = NAVIGATION[persona]
    login(page, user.username)
    nav = page.locator("[data-testid=nav] [data-nav]")
    expect(nav).to_have_count(len(expected))
    assert [nav.nth(i).get_attribute("data-nav") for i in range(len(expected))] == expected
    expect(page.locator("[data-testid=nav]")).to_contain_text(label)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    # Every entry opens (no entry leads to a page the role may not open).
    for key in expected:
        page.locator(f"[data-nav={key}]").click()
        expect(page.locator("h1").first).to_be_visible()
        assert "403" not in page.locator("h1").first.inner_text()


def test_language_switch_to_english_and_back(page: Page, officer_wang) -> None:
    login(page, officer_wang.username)
    expect(page.locator("h1")).to_contain_text("您好，王明")
    page.get_by_test_id("lang-switch").click()
    expect(page.locator("h1")).to_contain_text("Welcome, 王明")
    expect(page.locator("[data-nav=cases]")).to_have_text("Cases")
    page.get_by_test_id("lang-switch").click()
    expect(page.locator("h1")).to_contain_text("您好，王明")


def test_shell_works_on_a_tablet(tablet_page: Page, officer_wang) -> None:
    tablet_page.set_viewport_size({"width": 800, "height": 1280})  # portrait: menu collapses
    login(tablet_page, officer_wang.username)
    toggler = tablet_page.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    toggler.tap()
    tablet_page.locator("[data-nav=cases]").tap()
    expect(tablet_page.locator("h1")).to_have_text("案件台账")
