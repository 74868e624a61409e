"""R18.3 in the browser: the supervisor opens a subject and sees its cases (with the
decision as result), AV records, documents, service records, payments, licences,
findings, rectification orders and publications together, and downloads its file; an
officer of another unit opens the same subject and sees none of unit A's records, and no
export. R20: an officer entering a subject asks the data exchange, reads its answer
beside what they typed and copies it in; a timeout leaves the form usable."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from liuhen.subjects.licences import exchange
from tests.e2e.helpers import login
from tests.subjects.file.world import add_oversight, build_world

DEMO_USCC = "92211104MA0Y8K3PXP"

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("shared_font_cache")]


def test_the_supervisor_sees_the_whole_file_and_another_units_officer_does_not(
    page: Page, unit_a, officer_wang, officer_li, supervisor_zheng
) -> None:
    world = build_world(unit_a, officer_wang)
    oversight = add_oversight(world, officer_wang, supervisor_zheng)
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
    expect(page.get_by_test_id("subject-findings")).to_contain_text(oversight.finding.summary)
    expect(page.get_by_test_id("subject-findings")).to_contain_text("依据：制度第五条")
    expect(page.get_by_test_id("subject-rectifications")).to_contain_text("补充现场执法记录1")
    expect(page.get_by_test_id("subject-publications")).to_contain_text(
        oversight.publication.decision_number
    )
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
    expect(page.get_by_test_id("subject-findings")).not_to_contain_text(oversight.finding.summary)
    expect(page.get_by_test_id("subject-rectifications")).not_to_contain_text("补充现场执法记录1")
    expect(page.get_by_test_id("subject-publications")).not_to_contain_text(
        oversight.publication.decision_number
    )
    # A licence is the subject's, not unit A's casework: every officer who sees the subject
    # sees what it holds.
    expect(page.get_by_test_id("licences")).to_contain_text(world.licence.number)


def test_the_officer_asks_the_exchange_while_entering_a_subject(
    page: Page, settings, officer_wang
) -> None:
    registered = exchange.SIMULATED_SUBJECTS[DEMO_USCC]["name"]
    login(page, "officer_wang", next_url="/subjects/new/")
    page.get_by_label("统一社会信用代码").fill(DEMO_USCC)
    page.get_by_label("名称（姓名）").fill("丰收农资店")
    page.get_by_test_id("lookup-ask").click()
    expect(page.get_by_test_id("lookup-name")).to_have_text(registered)
    expect(page.get_by_label("名称（姓名）")).to_have_value("丰收农资店")
    page.get_by_test_id("lookup-copy").click()
    expect(page.get_by_label("名称（姓名）")).to_have_value(registered)
    page.get_by_test_id("subject-save").click()
    expect(page.get_by_test_id("subject-name")).to_have_text(registered)

    settings.EXCHANGE_URL = "simulator:timeout"
    page.goto(page.url.split("/subjects/")[0] + "/subjects/new/")
    page.get_by_label("统一社会信用代码").fill(DEMO_USCC)
    page.get_by_test_id("lookup-ask").click()
    expect(page.get_by_test_id("lookup-problem")).to_contain_text("政务数据共享交换平台")
    expect(page.get_by_test_id("subject-save")).to_be_visible()
