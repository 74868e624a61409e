"""R1.1 in the browser on an upright tablet: the supervisor opens a case's 全程留痕 from the
case page. It names the case by its number, the document opened by its title and 文号,
the AV record played by its file name, shows the denied attempt of an officer of another
unit, and downloads as PDF and XLSX — each download itself in the trail."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from liuhen.core import access
from liuhen.core.models import AuditEvent
from liuhen.documents.actions import reading
from liuhen.documents.models import IssuedDocument
from liuhen.documents.perms import DocumentPerms
from liuhen.media.actions import curation, viewing
from tests.delivery.service_helpers import av, issued_row
from tests.e2e.helpers import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("shared_font_cache")]

NUMBER = "洼农（农药）立〔2026〕3号"
DECISION = "洼农（农药）罚〔2026〕7号"


def test_the_supervisor_reads_and_exports_a_cases_trail(
    portrait_tablet: Page, officer_wang, officer_li, supervisor_zheng, numbered_case_a
) -> None:
    decision = issued_row(officer_wang, numbered_case_a, number=DECISION)
    reading.view_issued(officer_wang, decision)
    clip = av(officer_wang, "现场检查.mp4")
    curation.link(officer_wang, clip, case=numbered_case_a)
    viewing.view_record(officer_wang, clip)
    with pytest.raises(access.NotVisible):  # another unit's officer: 404, audited
        access.get_visible_or_404(
            officer_li, IssuedDocument, action=DocumentPerms.VIEW, pk=decision.pk
        )

    page = login(portrait_tablet, "supervisor_zheng", next_url=f"/cases/{numbered_case_a.pk}/")
    page.get_by_test_id("to-trail").tap()
    page.wait_for_url(f"**/cases/{numbered_case_a.pk}/trail/")
    expect(page.get_by_test_id("trail-case")).to_contain_text(NUMBER)
    about = page.get_by_test_id("trail-about")
    expect(about.filter(has_text=f"行政处罚决定书 {DECISION}").first).to_be_visible()
    expect(about.filter(has_text="视频 现场检查.mp4").first).to_be_visible()
    expect(about.filter(has_text=NUMBER).first).to_be_visible()
    table = page.get_by_test_id("trail-table")
    expect(table.locator("tr", has_text="李强").filter(has_text="拒绝")).to_have_count(1)
    expect(table).not_to_contain_text("cases.case")
    expect(table).not_to_contain_text("#")

    with page.expect_download() as download:
        page.get_by_test_id("trail-export-xlsx").tap()
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    cells = [str(cell.value) for row in sheet.iter_rows() for cell in row]
    assert f"行政处罚决定书 {DECISION}" in cells and "视频 现场检查.mp4" in cells

    with page.expect_download() as download:
        page.get_by_test_id("trail-export-pdf").tap()
    assert download.value.suggested_filename.endswith(".pdf")
    assert download.value.path().read_bytes().startswith(b"%PDF-")
    formats = AuditEvent.objects.filter(
        action="case.timeline_export", case_id=numbered_case_a.pk
    ).values_list("details__format", flat=True)
    assert sorted(formats) == ["pdf", "xlsx"]
