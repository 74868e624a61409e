"""Browser (R10.2, R11.1; 行政处罚法 Art. 61, 67): right after the officer records the
service of the 行政处罚决定书 on the service form, the case page shows the period to serve
met and the period to pay the fine running from the day service took effect, with its due
date — not the period to serve still running and no payment period until some later
record."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from liuhen.core import calendar
from tests.delivery.payment_helpers import make_decision
from tests.delivery.service_helpers import PARTY, issued_row, local_input
from tests.e2e.helpers import login

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
# still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_payment_period_shows_on_the_case_page_right_after_service(
    live_server, tablet_page: Page, unit_a, officer_wang, tmp_path
) -> None:
    today = timezone.localdate()
    decision = make_decision(
        unit_a, officer_wang, number="洼农（农药）罚〔2026〕21号", decided_on=today
    )
    issued = issued_row(officer_wang, decision.case, number=decision.number)
    page = tablet_page
    # Two shared cores under load: a page may take longer than the default.
    page.set_default_timeout(30_000)
    page.set_default_navigation_timeout(30_000)

    login(page, "officer_wang", next_url=f"/cases/{decision.case_id}/")
    clock = page.locator("[data-testid=case-deadlines] tr[data-clock=service]")
    expect(clock).to_contain_text("进行中")
    expect(page.locator("[data-testid=case-deadlines] tr[data-clock=payment]")).to_have_count(0)

    page.goto(f"{live_server.url}/delivery/serve/{issued.pk}/")
    page.select_option("select[name=mode]", "direct")
    page.fill("input[name=recipient]", PARTY)
    served_at = timezone.now() - dt.timedelta(hours=1)
    page.fill("input[name=served_at]", local_input(served_at))
    scan = tmp_path / "回证.pdf"
    scan.write_bytes(b"%PDF-1.4 receipt scan")
    page.set_input_files("input[name=direct__file__receipt]", str(scan))
    page.get_by_test_id("service-save").click()
    page.wait_for_url("**/delivery/service/*/")
    served_on = timezone.localdate(served_at)
    expect(page.get_by_test_id("served-on")).to_have_text(f"{served_on:%Y-%m-%d}")

    page.goto(f"{live_server.url}/cases/{decision.case_id}/")
    expect(clock).to_contain_text("已完成")
    payment = page.locator("[data-testid=case-deadlines] tr[data-clock=payment]")
    expect(payment).to_have_count(1)
    due = calendar.deadline(served_on, "payment").due
    expect(payment).to_contain_text(f"{served_on:%Y-%m-%d}")
    expect(payment).to_contain_text(f"{due:%Y-%m-%d}")
    expect(payment).to_contain_text("进行中")
