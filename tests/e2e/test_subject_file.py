"""R18.3 in the browser: the supervisor opens a subject and sees its cases (with the
decision as result), AV records, documents, service records, payments and licences
together, and downloads its file; an officer of another unit opens the same subject and sees none of
unit A's records, and no export."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.e2e.helpers import login
from tests.subjects.file.world import build_world

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("shared_font_cache")]


def test_the_supervisor_sees_the_whole_file_and_another_units_officer_does_not(
    page: Page, unit_a, officer_wang, officer_li, supervisor_zheng
) -> None:
    world = build_world(unit_a, officer_wang)
    url = f"/subjects/{world.subject.pk}/"

    login(page, "supervisor_zheng", next_url=url)
    expect(page.get_by_test_id("subject-name")).to_have_text(world.subject.name)
    expect(page.get_by_test_id("section-cases")).to_contain_text(world.case.number)
    expect(page.get_by_test_id("section-cases")).to_contain_text("洼农（农药）罚〔2026〕1号")
    expect(page.get_by_test_id("subject-av")).to_contain_text("现场1.mp4")
    expect(page.get_by_test_id("subject-documents")).to_contain_text("行政处罚决定书")
    expect(page.get_by_test_id("subject-services")).to_contain_text("张三丰农资经营部")
    expect(page.get_by_test_id("subject-payments")).to_contain_text(world.notice.number)
    expect(page.get_by_test_id("subject-payments")).to_contain_text("5,000.00")
    expect(page.get_by_test_id("licences")).to_contain_text("农药经营许可证")
    expect(page.get_by_test_id("licences")).to_contain_text(world.licence.number)
    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    cells = {str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row}
    assert world.notice.number in cells

    page.context.clear_cookies()
    login(page, "officer_li", next_url=url)
    expect(page.get_by_test_id("subject-name")).to_have_text(world.subject.name)
    expect(page.get_by_test_id("section-cases")).not_to_contain_text(world.case.number)
    expect(page.get_by_test_id("subject-av")).not_to_contain_text("现场1.mp4")
    expect(page.get_by_test_id("subject-payments")).not_to_contain_text(world.notice.number)
    expect(page.get_by_test_id("subject-documents")).not_to_contain_text("行政处罚决定书")
    expect(page.get_by_test_id("export-xlsx")).to_have_count(0)
    # A licence is the subject's, not unit A's casework: every officer who sees the subject
    # sees what it holds.
    expect(page.get_by_test_id("licences")).to_contain_text(world.licence.number)
