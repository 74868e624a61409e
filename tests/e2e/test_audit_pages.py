"""The audit admin logs in (2FA included), filters the audit log and checks the chain (R1.1)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from liuhen.core import audit
from liuhen.core.models import Outcome
from tests.e2e.helpers import login
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_auditor_filters_the_event_list(
    page: Page, auditor_chen: Any, officer_wang: Any, unit_a: Any
) -> None:
    case = CaseFactory(unit=unit_a, officers=[officer_wang])
    audit.record("case.view", actor=officer_wang, obj=case)
    audit.record("case.change", actor=officer_wang, obj=case, outcome=Outcome.DENIED)
    for i in range(5):
        audit.record("device.checkout", details={"i": i})

    login(page, "auditor_chen", next_url="/audit/")
    page.goto("/audit/")
    expect(page.locator("h1")).to_have_text("审计日志")
    table = page.get_by_test_id("event-table")
    expect(table.locator("tbody tr", has_text="device.checkout")).to_have_count(5)

    page.fill("input[name=action]", "case.")
    page.select_option("select[name=outcome]", "denied")
    page.get_by_test_id("event-search").click()
    # htmx swapped only the table, and the address bar keeps the search.
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody tr")).to_contain_text("case.change")
    expect(table.locator("tbody tr")).to_contain_text("拒绝")
    assert "action=case." in page.url and "outcome=denied" in page.url

    table.locator("tbody tr a").first.click()
    expect(page.get_by_test_id("event-fields")).to_contain_text("case.change")


def test_auditor_signs_and_verifies_the_chain(page: Page, auditor_chen: Any) -> None:
    for i in range(3):
        audit.record("test.e2e", details={"i": i})
    login(page, "auditor_chen", next_url="/audit/status/")
    page.goto("/audit/status/")
    page.get_by_test_id("sign-now").click()
    expect(page.get_by_test_id("latest-head")).to_contain_text("BEGIN PUBLIC KEY")
    page.get_by_test_id("verify-now").click()
    expect(page.get_by_test_id("verify-result")).to_have_attribute("data-ok", "true")
    expect(page.get_by_test_id("verify-result")).to_contain_text("审计日志完整")
