"""R22.1–R22.5, R23 in the browser: after ``liuhen seed-demo`` the demo supervisor opens
/supervision/ on an upright tablet and every tile's page shows work — the dashboard's
tables, the AV coverage, the spot-check plan and its ledger, the replayed complaint, the
scored case file, the findings, the rectification order, the accountability record and
the unit under focused guidance (every page checked with axe by the browser fixture)."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from liuhen.supervision.home import TILES
from liuhen.web import demo
from tests.activities.helpers import seed_types
from tests.e2e.helpers import login

# Playwright's sync API runs an event loop in this thread; the test's own reads of the
# database are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shared_font_cache", "docs_storage"),
]

# What shows that each tile's page is not empty: one row of its list at least.
ROWS = {
    "statistics": "[data-testid^=table-] tbody tr[data-key]",
    "coverage": "[data-testid=coverage-summary-row]",
    "spot_checks": "[data-testid=ledger-row]",
    "complaints": "[data-testid=complaint-row]",
    "reviews": "[data-testid=plan-link]",
    "findings": "[data-testid=finding-row]",
    "rectifications": "[data-testid=order-row]",
    "accountability": "[data-testid=accountability-row]",
    "guidance": "[data-testid=guidance-row]",
}


@pytest.fixture
def seeded_demo() -> None:
    seed_types()  # a transactional test's flush removes the seeded types
    call_command("seed_demo", verbosity=0)


@pytest.mark.usefixtures("seeded_demo")
def test_the_demo_supervisor_finds_every_area_at_work(portrait_tablet: Page) -> None:
    tablet = login(portrait_tablet, "jiandu", password=demo.DEMO_PASSWORD, next_url="/supervision/")
    tiles = tablet.get_by_test_id("supervision-tiles").locator("a[data-tile]")
    keys = [tiles.nth(i).get_attribute("data-tile") for i in range(tiles.count())]
    # Every area of supervision is open to the supervisor, and each is checked below.
    assert sorted(keys) == sorted(tile.key for tile in TILES) == sorted(ROWS)
    for key in keys:
        tablet.goto("/supervision/")
        tablet.locator(f"a[data-tile={key}]").tap()
        tablet.wait_for_load_state()
        expect(tablet.locator(ROWS[key]).first).to_be_visible()

    # The spot check's review shows the item found not filmed.
    tablet.goto("/supervision/findings/")
    row = tablet.get_by_test_id("finding-row").filter(has_text="未拍摄")
    expect(row).to_have_count(1)
    row.get_by_role("link").first.tap()
    expect(tablet.get_by_test_id("finding-kind")).not_to_have_text("spot_check_item_missing")
