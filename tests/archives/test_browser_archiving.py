"""Browser (R18.1): the archivist finds the closed case in the list awaiting archiving,
assembles its file, moves an entry, writes a remark and the note 备考表, confirms the
retention the rules suggest and archives it; the case page then shows the 档号."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from liuhen.archives.models import CaseFile
from tests.e2e.helpers import login
from tests.fixtures.documents import ORDER_VALUES, issue_form

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
# still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_archivist_reviews_and_archives_a_case_file(
    live_server, tablet_page: Page, installed_seal, decided_case, officer_wang, archivist_wu
) -> None:
    issue_form(officer_wang, decided_case, "rectification_order", **ORDER_VALUES)
    issue_form(
        officer_wang, decided_case, "penalty_decision", statement="当事人未提出陈述、申辩意见。"
    )
    decided_case.closed_at = timezone.now() - dt.timedelta(days=3)
    decided_case.closing_condition = "executed"
    decided_case.save(update_fields=["closed_at", "closing_condition"])

    page = tablet_page
    login(page, "archivist_wu", next_url="/archives/")
    expect(page.locator("h1")).to_have_text("待归档的已结案件")
    row = page.locator(f"[data-case='{decided_case.pk}']")
    expect(row).to_contain_text(decided_case.number)
    expect(row).to_contain_text("未组卷")
    row.get_by_role("link", name="审核").click()

    page.get_by_test_id("assemble").click()
    expect(page.locator(".alert-success")).to_contain_text("案卷已组卷并装订")
    catalogue = page.get_by_test_id("catalogue")
    expect(catalogue.locator("tbody tr").first).to_contain_text("行政处罚决定书")
    second_title = catalogue.locator("tbody tr").nth(1).locator("td").nth(2).inner_text()
    page.get_by_test_id("up-2").click()
    expect(catalogue.locator("tbody tr").first).to_contain_text(second_title.split()[0])
    page.get_by_test_id("remarks-1").fill("原件存执法大队")
    page.get_by_test_id("save-remarks-1").click()
    expect(page.get_by_test_id("remarks-1")).to_have_value("原件存执法大队")
    page.get_by_label("备考表").fill("本卷材料齐全，视听资料另存数据包。")
    page.get_by_test_id("save-note").click()

    form = page.get_by_test_id("archive-form")
    expect(page.get_by_text("按规则建议：永久")).to_be_visible()
    expect(form.get_by_label("保管期限")).to_have_value("permanent")
    page.get_by_test_id("archive").click()
    expect(page.get_by_test_id("archived")).to_be_visible()
    case_file = CaseFile.objects.get(case=decided_case)
    year = timezone.localdate().year
    assert case_file.archive_number == f"001-{year}-Y-0001"
    expect(page.get_by_test_id("archive-number")).to_have_text(case_file.archive_number)
    expect(page.get_by_test_id("catalogue").locator("tbody tr").first).to_contain_text(
        "原件存执法大队"
    )

    page.goto(f"/cases/{decided_case.pk}/")
    expect(page.get_by_test_id("case-file-section")).to_contain_text(case_file.archive_number)
    page.goto("/archives/")
    expect(page.locator(f"[data-case='{decided_case.pk}']")).to_have_count(0)
