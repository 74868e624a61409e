"""Browser: on the case page an officer records the party's request for a hearing, then
schedules it — the chair, who does not investigate the case, and the notice given at
least 7 working days ahead (行政处罚法 Art. 64) — and sees both in the hearings section."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from liuhen.cases import hearings
from liuhen.cases.actions import decisions as decision_actions
from liuhen.cases.models import Hearing, Stage
from tests.e2e.helpers import login
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _field(value: dt.datetime) -> str:
    return f"{timezone.localtime(value):%Y-%m-%dT%H:%M}"


def test_officer_records_and_schedules_a_hearing(
    page: Page, officer_wang, reviewer_sun, unit_a
) -> None:
    case = CaseFactory(unit=unit_a, officers=[officer_wang], stage=Stage.DECISION, field="农药")
    now = timezone.now().replace(second=0, microsecond=0)
    decision_actions.record_advance_notice(
        officer_wang,
        case,
        notified_at=now - dt.timedelta(days=2),
        notified_to="某农资店 张三",
        method="直接送达",
        penalty_kinds=["fine"],
        proposed_fine_fen=20_000_00,
    )

    login(page, "officer_wang", next_url=f"/cases/{case.pk}/")
    section = page.locator("[data-section=hearings]")
    expect(section.locator("[data-testid=hearing-window]")).to_be_visible()
    section.locator("[data-testid=to-hearing]").click()

    form = page.locator("[data-testid=form-request]")
    form.locator("input[name=requested_at]").fill(_field(now - dt.timedelta(days=1)))
    form.locator("input[name=requested_by_party]").fill("张三")
    form.locator("input[name=request_method]").fill("书面申请")
    form.get_by_role("button", name="登记听证申请").click()
    expect(page.locator("[data-section=hearings] [data-testid=case-hearings]")).to_contain_text(
        "书面申请"
    )
    hearing = Hearing.objects.get(case=case)

    told = now - dt.timedelta(hours=1)
    day = hearings.earliest_hearing_day(told)
    page.locator("[data-section=hearings] [data-testid=to-hearing]").click()
    form = page.locator("[data-testid=form-schedule]")
    # The investigator is not offered as chair (Art. 64(4)).
    expect(form.locator("select[name=chair] option", has_text="王明")).to_have_count(0)
    form.locator("input[name=notified_at]").fill(_field(told))
    form.locator("input[name=scheduled_at]").fill(f"{day - dt.timedelta(days=1):%Y-%m-%d}T09:00")
    form.locator("input[name=place]").fill("局三楼听证室")
    form.locator("select[name=chair]").select_option(label="孙丽")
    form.get_by_role("button", name="登记听证时间和通知").click()
    # Too short a notice: refused in place, with the first possible day.
    expect(page.locator("[data-testid=form-error]")).to_contain_text(f"{day:%Y-%m-%d}")

    form = page.locator("[data-testid=form-schedule]")
    form.locator("input[name=scheduled_at]").fill(f"{day:%Y-%m-%d}T09:00")
    form.get_by_role("button", name="登记听证时间和通知").click()
    hearing_time = page.locator("[data-section=hearings] [data-testid=hearing-time]")
    expect(hearing_time).to_contain_text(f"{day:%Y-%m-%d} 09:00")
    expect(hearing_time).to_contain_text("局三楼听证室")
    expect(page.locator("[data-section=hearings]")).to_contain_text("孙丽")
    assert hearings.latest_schedule(hearing).chair == reviewer_sun
