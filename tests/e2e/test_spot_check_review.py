"""R22.3 in the browser: a supervisor of another unit reviews a sampled recording on an
upright tablet — the player beside the Art. 13 checklist and the Art. 14 prohibitions —
and a missing item shows as a failed check in the ledger (every page checked with axe)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from liuhen.media.actions import curation
from liuhen.supervision.actions import spot_checks as actions
from liuhen.supervision.models import Finding, PlanPeriod
from tests.activities.helpers import seed_types
from tests.e2e.helpers import login
from tests.factories import CaseFactory
from tests.media.linking import activity, av
from tests.supervision.helpers import supervisor_of

pytestmark = pytest.mark.django_db(transaction=True)

MAY_15 = timezone.make_aware(dt.datetime(2026, 5, 15, 10, 0))


@pytest.fixture
def drawn_plan(unit_a, unit_b, officer_wang, officer_ma, supervisor_zheng):
    """An inspection of unit A with its recording, sampled by a quarterly plan."""
    seed_types()  # a transactional test's flush removes the seeded types
    case = CaseFactory(unit=unit_a, officers=[officer_wang, officer_ma])
    act = activity(officer_wang, case, [officer_wang, officer_ma], MAY_15, 30, code="inspection")
    record = av(officer_wang, officer=officer_wang, captured_at=MAY_15)
    curation.link(officer_wang, record, activity=act)
    plan = actions.create_plan(
        supervisor_zheng,
        title="2026年第二季度执法记录仪抽查",
        period=PlanPeriod.QUARTERLY,
        period_start=dt.date(2026, 5, 1),
        units=[unit_a],
        sample_count=1,
    )
    actions.draw_sample(supervisor_zheng, plan)
    supervisor_of(unit_b, "supervisor_wei", "魏明")
    return plan


def test_review_on_an_upright_tablet(portrait_tablet: Page, drawn_plan) -> None:
    tablet = login(portrait_tablet, "supervisor_wei", next_url="/supervision/spot-checks/")
    expect(tablet.get_by_test_id("spot-check-plan")).to_have_count(1)
    expect(tablet.get_by_test_id("ledger-row")).to_have_count(1)
    tablet.get_by_test_id("spot-check-plan").get_by_role("link").tap()
    expect(tablet.get_by_test_id("sample-seed")).to_be_attached()
    tablet.get_by_test_id("review-link").tap()

    expect(tablet.get_by_test_id("review-player-card")).to_be_visible()
    expect(tablet.get_by_test_id("review-activity")).to_contain_text("现场检查")
    items = tablet.get_by_test_id("checklist-item")
    expect(items).to_have_count(6)  # five for an inspection, and the obstruction
    for index in range(6):
        items.nth(index).locator("input[value=filmed]").check()
    items.nth(0).locator("input[value=missing]").check()
    items.nth(5).locator("input[value=na]").check()
    expect(tablet.get_by_test_id("prohibitions").locator("input[type=checkbox]")).to_have_count(6)
    tablet.locator("textarea[name=comment]").fill("未摄录现场周边环境。")
    width = tablet.evaluate("document.documentElement.scrollWidth")
    assert width <= 800
    tablet.get_by_test_id("review-save").tap()

    expect(tablet.get_by_test_id("sample-item")).to_contain_text("不合格")
    finding = Finding.objects.get()
    assert finding.kind == "spot_check_item_missing" and finding.article == "R13.2"
    tablet.goto("/supervision/spot-checks/")
    expect(tablet.get_by_test_id("ledger-row")).to_contain_text("80")
