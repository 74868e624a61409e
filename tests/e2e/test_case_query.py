"""Browser, upright tablet: a party types the case number and the query code printed on
the decision served on them, sees the case and downloads the sealed PDF; a wrong code
gets the same page as an unknown number (R19.1). The axe check runs on each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from liuhen.documents import files
from liuhen.documents.models import FilePurpose
from tests.delivery.query_helpers import PARTY

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("in_chinese")]


def _ask(page: Page, number: str, code: str) -> None:
    page.goto("/query/")
    page.get_by_label("案号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_test_id("query-submit").click()


def test_a_party_queries_the_case_and_downloads_the_decision(
    portrait_tablet: Page, decision_served_for_query
) -> None:
    page = portrait_tablet
    served = decision_served_for_query
    _ask(page, served.case.number, served.code)
    expect(page.get_by_test_id("query-case")).to_contain_text(served.case.number)
    expect(page.get_by_test_id("query-party")).to_have_text(PARTY)
    expect(page.get_by_test_id("query-document")).to_have_count(1)
    expect(page.get_by_test_id("query-payment")).to_have_count(1)
    with page.expect_download() as download_info:
        page.get_by_test_id("query-download").click()
    download = download_info.value
    stored = served.issued.files.get(purpose=FilePurpose.ISSUED)
    path = download.path()
    assert path is not None
    assert path.read_bytes() == files.read_blob(stored.blob_id)
    assert download.suggested_filename.endswith(".pdf")

    _ask(page, served.case.number, "WRONGCODE1")
    expect(page.get_by_test_id("query-unmatched")).to_be_visible()
    expect(page.get_by_label("案号")).to_have_value(served.case.number)
