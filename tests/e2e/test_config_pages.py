"""Browser: the system admin's configuration pages (R2.1). A legal rule is changed with a
reason and a value below the legal floor is refused in Chinese; a 2027 holiday is entered
on the calendar page and the warning of a deadline reaching into a year without holiday
data goes away once that year is marked complete; the 文号 pattern is changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from liuhen.cases.actions import numbering as number_actions
from liuhen.cases.models import Decision, Stage
from liuhen.core import calendar_seed, rules
from liuhen.core.models import AuditEvent, CalendarDay, CalendarYear, RuleOverride
from tests.e2e.helpers import login
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_changes_a_rule_and_cannot_cross_the_legal_floor(page: Page, sysadmin_zhao) -> None:
    login(page, sysadmin_zhao.username, next_url="/config/rules/")
    expect(page.locator("h1")).to_have_text("法定规则")
    row = page.locator("[data-testid=rule-table] tr[data-rule=payment]")
    expect(row).to_contain_text("缴纳罚款期限")
    expect(row).to_contain_text("《中华人民共和国行政处罚法》第67条")
    expect(row.locator("[data-testid=rule-value]")).to_have_text("15 日")
    # R2.1: a rule no code applies is never shown as in force (行政处罚法 Art. 68–71).
    cash = page.locator("[data-testid=rule-table] tr[data-rule=cash_handover]")
    expect(cash.get_by_test_id("rule-not-applied")).to_have_text("尚未适用")
    expect(row.get_by_test_id("rule-not-applied")).to_have_count(0)
    row.get_by_role("link", name="编辑").click()

    expect(page.locator("h1")).to_have_text("缴纳罚款期限")
    # The party's time: a last day on a rest day moves on (民事诉讼法 Art. 85).
    expect(page.get_by_test_id("rule-serves")).to_have_text("当事人（权利期限）")
    expect(page.get_by_test_id("rule-roll-forward")).to_have_text("是")
    expect(page.get_by_test_id("rule-history")).to_contain_text("从未修改：适用默认值。")
    form = page.get_by_test_id("rule-form")
    # R2.1: the party's 15 days may not be shortened; the refusal is said in Chinese.
    form.get_by_label("新值").fill("10")
    form.get_by_label("修改理由").fill("试图缩短")
    page.get_by_test_id("rule-save").click()
    expect(page.get_by_test_id("form-error")).to_have_text("不得少于15 日（法定下限）。")
    expect(page.get_by_test_id("current-value")).to_have_text("15 日")
    assert not RuleOverride.objects.exists()

    form.get_by_label("新值").fill("20")
    form.get_by_label("修改理由").fill("便民措施，延长缴款期限")
    page.get_by_test_id("rule-save").click()
    expect(page.get_by_role("alert")).to_contain_text("规则已保存。")
    expect(page.get_by_test_id("current-value")).to_have_text("20 日")
    history = page.locator("[data-testid=rule-history] tbody tr")
    expect(history).to_have_count(1)
    expect(history.first).to_contain_text("便民措施，延长缴款期限")
    expect(history.first).to_contain_text("sysadmin_zhao")
    assert rules.value("payment") == 20
    event = AuditEvent.objects.get(action="rule.set")
    assert event.details["reason"] == "便民措施，延长缴款期限"

    page.get_by_role("link", name="法定规则").click()
    value = page.locator("tr[data-rule=payment] [data-testid=rule-value]")
    expect(value).to_contain_text("20 日")
    expect(value).to_contain_text("已调整")


def _other_context(browser: Browser, live_server) -> Page:
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def test_admin_enters_next_years_holidays_and_the_deadline_warning_goes(
    browser: Browser, live_server, page: Page, sysadmin_zhao, officer_wang, unit_a
) -> None:
    calendar_seed.seed()  # the flush of a transactional test removed the migration's rows
    today = timezone.localdate()
    CalendarYear.objects.update_or_create(year=today.year, defaults={"complete": True})
    year = today.year + 1
    CalendarYear.objects.filter(year=year).delete()
    CalendarDay.objects.filter(date__year=year).delete()
    # Decided on 28 December: its 7 working days of service (行政处罚法 Art. 61, 85) reach
    # into next year, whose holidays may move them.
    opened = timezone.make_aware(dt.datetime(today.year, 12, 1, 10, 0))
    case = CaseFactory(
        unit=unit_a, officers=[officer_wang], stage=Stage.INVESTIGATION, opened_at=opened
    )
    Decision.objects.create(
        case=case,
        number=f"洼农（农药）罚〔{today.year}〕1号",
        fine_fen=500_00,
        facts="销售假农药",
        basis="《农药管理条例》第五十五条",
        decided_by=officer_wang,
        decided_at=timezone.make_aware(dt.datetime(today.year, 12, 28, 10, 0)),
    )

    officer = _other_context(browser, live_server)
    login(officer, "officer_wang", next_url=f"/cases/{case.pk}/")
    clock = officer.locator("[data-testid=case-deadlines] tr[data-clock=service]")
    expect(clock).to_contain_text("处罚决定书送达期限")
    expect(clock.get_by_test_id("calendar-warning")).to_have_text("无节假日数据")
    expect(officer.locator("#section-deadlines")).to_contain_text(
        f"{year}年尚无法定节假日数据：此日期仅按周末计算，录入节假日安排后可能变化。"
    )

    login(page, sysadmin_zhao.username, next_url="/config/calendar/")
    expect(page.locator("h1")).to_have_text(f"{year}年节假日日历")
    expect(page.get_by_test_id("year-status")).to_contain_text(
        f"{year}年节假日安排尚未完整录入：延伸到{year}年的期限将显示提示。"
    )
    form = page.get_by_test_id("day-form")
    form.get_by_label("日期").fill(f"{year}-01-01")
    form.get_by_label("类别").select_option(label="法定节假日")
    form.get_by_label("节日名称").fill("元旦")
    form.get_by_label("理由").fill("国务院办公厅节假日安排通知")
    page.get_by_test_id("day-save").click()
    expect(page.get_by_role("alert").first).to_contain_text("日历已保存。")
    day = page.locator(f"[data-testid=day-table] tr[data-date='{year}-01-01']")
    expect(day).to_contain_text("法定节假日")
    expect(day).to_contain_text("元旦")

    # A make-up working day must fall on a weekend: a Monday is refused in Chinese.
    monday = dt.date(year, 1, 4)
    monday -= dt.timedelta(days=monday.weekday())
    form.get_by_label("日期").fill(monday.isoformat())
    form.get_by_label("类别").select_option(label="调休上班日")
    form.get_by_label("理由").fill("录入调休")
    page.get_by_test_id("day-save").click()
    expect(page.get_by_test_id("form-error")).to_have_text("调休上班日必须是星期六或星期日。")

    # The year's holidays are in: the warning stays until the year is marked complete.
    officer.reload()
    expect(clock.get_by_test_id("calendar-warning")).to_be_visible()
    page.get_by_test_id("year-form").get_by_label("理由").fill("已按通知录入全年安排")
    page.get_by_test_id("year-toggle").click()
    expect(page.get_by_test_id("year-status")).to_contain_text(f"{year}年节假日安排已全部录入。")
    expect(page.get_by_test_id("year-toggle")).to_have_text("标记为不完整")
    assert CalendarYear.objects.get(year=year).complete

    officer.reload()
    expect(clock).to_contain_text("处罚决定书送达期限")
    expect(clock.get_by_test_id("calendar-warning")).to_have_count(0)
    expect(officer.locator("#section-deadlines")).not_to_contain_text("尚无法定节假日数据")
    officer.context.close()


def test_admin_sets_the_case_number_pattern(page: Page, sysadmin_zhao) -> None:
    year = timezone.localdate().year
    login(page, sysadmin_zhao.username, next_url="/cases/numbering/")
    expect(page.locator("h1")).to_have_text("文号格式")
    expect(page.get_by_test_id("number-example")).to_have_text(f"洼农（农药）罚〔{year}〕12号")

    field = page.get_by_test_id("number-pattern-form").get_by_label("格式")
    field.fill("洼农{kind}〔{year}〕号")  # no serial: two cases would get one number
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".invalid-feedback")).to_have_text("格式中必须包含 {serial}。")
    expect(page.get_by_test_id("number-example")).to_have_count(0)
    field = page.get_by_test_id("number-pattern-form").get_by_label("格式")
    field.fill("洼农{kind}〔{year}〕{serial}号{month}")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".invalid-feedback")).to_have_text("未知的占位符：month。")

    field = page.get_by_test_id("number-pattern-form").get_by_label("格式")
    field.fill("大洼农业（{field}）{kind}字〔{year}〕第{serial}号")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("文号格式已保存。")
    expect(page.get_by_test_id("number-example")).to_have_text(
        f"大洼农业（农药）罚字〔{year}〕第12号"
    )
    assert number_actions.allocate("立", "种子") == f"大洼农业（种子）立字〔{year}〕第1号"
    assert AuditEvent.objects.filter(action="numbering.pattern_change").count() == 1
