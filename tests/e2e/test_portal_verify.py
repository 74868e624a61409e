"""Browser: anyone checks an issued document on the public verification page (R18.2): the
page shows the document's facts without logging in, and the archived file uploaded back
matches, with its seal intact."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.fixtures.documents import current_pdf

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("shared_font_cache")]


def test_the_archived_file_matches_on_the_verify_page(
    page: Page, issued_order, tmp_path: Path
) -> None:
    pdf = tmp_path / "通知书.pdf"
    pdf.write_bytes(current_pdf(issued_order))
    page.goto(f"/verify/{issued_order.verify_code}/")
    expect(page.get_by_test_id("verify-title")).to_have_text(issued_order.title)
    expect(page.get_by_test_id("verify-number")).to_have_text(issued_order.number)
    page.get_by_test_id("verify-form").locator("input[type=file]").set_input_files(str(pdf))
    page.get_by_test_id("verify-submit").click()
    expect(page.locator("[data-testid=verify-result][data-result=match]")).to_be_visible()
    expect(page.get_by_test_id("verify-seal")).to_have_attribute("data-intact", "yes")
