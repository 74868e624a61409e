"""Browser: deadline lists and reminders (R7.x legal periods; issue 3 #6). On a tablet the
officer finds the overdue decision period at the top of their list, gets the reminder in
the notifications, and follows it to the case; the unit head sees the unit's list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from liuhen.cases.models import Stage
from liuhen.core import calendar
from liuhen.deadlines import actions
from tests.e2e.helpers import login
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_overdue_clock_listed_reminded_and_followed(
    browser: Browser,
    live_server,
    tablet_page: Page,
    unit_a,
    unit_b,
    officer_wang,
    officer_li,
    head_zhang,
) -> None:
    now = timezone.now()
    # 行政处罚法 Art. 60: the decision within 90 days of filing; this one is 100 days old.
    late = CaseFactory(
        unit=unit_a,
        officers=[officer_wang],
        stage=Stage.INVESTIGATION,
        title="某农资店销售假农药案",
        opened_at=now - dt.timedelta(days=100),
    )
    fresh = CaseFactory(
        unit=unit_a, officers=[officer_wang], stage=Stage.INVESTIGATION, title="某种子店案"
    )
    elsewhere = CaseFactory(
        unit=unit_b, officers=[officer_li], opened_at=now - dt.timedelta(days=120)
    )
    due = calendar.deadline(timezone.localdate(late.opened_at), "decision_deadline").due

    page = tablet_page
    login(page, "officer_wang", next_url="/deadlines/")
    expect(page.locator("h1")).to_have_text("我的期限")
    expect(page.get_by_role("heading", name="已逾期")).to_be_visible()
    overdue = page.locator("[data-testid=deadlines-overdue] tbody tr")
    expect(overdue).to_have_count(1)
    row = overdue.first
    expect(row).to_contain_text(late.number)
    expect(row).to_contain_text("决定期限")
    expect(row).to_contain_text(due.isoformat())
    expect(row.locator("[data-status]")).to_have_text("已逾期")
    expect(row).to_contain_text("《中华人民共和国行政处罚法》第60条")
    running = page.locator("[data-testid=deadlines-running]")
    expect(running).to_contain_text(fresh.number)
    expect(running.locator("[data-status]").first).to_have_text("进行中")
    expect(page.locator("main")).not_to_contain_text(elsewhere.number)  # another unit's case
    expect(page.get_by_test_id("unit-link")).to_have_count(0)
    expect(page.get_by_test_id("unread-count")).to_have_count(0)

    # The reminder job runs: to each case's officer and, the period being overdue, to the
    # head of its unit (unit B's case: officer_li; unit B has no head here).
    assert actions.send_reminders() == 3
    page.reload()
    expect(page.get_by_test_id("unread-count")).to_contain_text("1")
    page.get_by_test_id("notifications-badge").tap()
    expect(page.locator("h1")).to_have_text("通知")
    note = page.locator("[data-testid=notifications] li[data-notification]")
    expect(note).to_have_count(1)
    expect(note).to_contain_text("新")
    expect(note).to_contain_text(
        f"{late.number}：决定期限已于{due.isoformat()}到期，现已逾期"
        "（《中华人民共和国行政处罚法》第60条）。"
    )
    # Shown once, it is read: no "new" badge and no unread count any more.
    page.reload()
    expect(note.locator(".badge")).to_have_count(0)
    expect(page.get_by_test_id("unread-count")).to_have_count(0)

    note.get_by_role("link").tap()
    # The case page is the heaviest page of the walk: give it the time a loaded CI has.
    expect(page.get_by_test_id("case-number")).to_have_text(late.number, timeout=15_000)
    clock = page.locator("[data-testid=case-deadlines] tr[data-clock=decision]")
    expect(clock.locator("[data-status]")).to_have_text("已逾期")
    days_late = (timezone.localdate() - due).days
    expect(clock).to_contain_text(f"逾期{days_late}日")

    head = browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    login(head, "head_zhang", next_url="/deadlines/")
    head.get_by_test_id("unit-link").click()
    expect(head.locator("h1")).to_have_text("执法科室期限 · 种植业执法科")
    unit_rows = head.locator("[data-testid=deadlines-overdue] tbody tr")
    expect(unit_rows).to_have_count(1)
    expect(unit_rows.first).to_contain_text(late.number)
    expect(unit_rows.first).to_contain_text("种植业执法科")
    expect(head.locator("main")).not_to_contain_text(elsewhere.number)
    expect(head.get_by_test_id("unread-count")).to_contain_text("1")
    head.context.close()
