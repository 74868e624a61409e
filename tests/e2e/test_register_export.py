"""Browser: an officer searches the case register, prints it and downloads it as XLSX and
CSV (R4.3). What is printed and exported is what the list shows: the cases the officer may
see that match the search, in Chinese."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from liuhen.cases.actions import registration
from liuhen.core.models import AuditEvent
from tests.e2e.helpers import login
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db(transaction=True)

HEADERS = [
    "案号",
    "案件名称",
    "当事人",
    "执法领域",
    "执法科室（单位）",
    "阶段",
    "密级",
    "承办执法人员",
    "立案日期",
]


@pytest.fixture
def cases_to_export(unit_a, unit_b, officer_wang, officer_li, head_zhang) -> dict[str, object]:
    seeds = registration.create_case(
        head_zhang, title="某种子店销售假种子案", field="种子", unit=unit_a, officers=[officer_wang]
    )
    pesticide = registration.create_case(
        head_zhang, title="某农资店销售假农药案", field="农药", unit=unit_a, officers=[officer_wang]
    )
    # Unit B's case: officer_wang may not see it, so it is neither listed nor exported.
    other = CaseFactory(
        number="洼农（兽药）立〔2026〕9号",
        unit=unit_b,
        officers=[officer_li],
        title="某养殖场违规使用兽药种子案",
    )
    return {"seeds": seeds, "pesticide": pesticide, "other": other}


def _search(page: Page, text: str) -> None:
    page.get_by_role("searchbox", name="查询").fill(text)
    page.get_by_role("button", name="查询").click()


def test_register_print_and_exports_follow_the_search(
    page: Page, officer_wang, cases_to_export
) -> None:
    seeds, pesticide, other = (
        cases_to_export["seeds"],
        cases_to_export["pesticide"],
        cases_to_export["other"],
    )
    login(page, "officer_wang", next_url="/cases/")
    expect(page.locator("h1")).to_have_text("案件台账")
    expect(page.get_by_test_id("case-count")).to_have_text("共 2 件案件")
    _search(page, "种子")
    expect(page.get_by_test_id("case-count")).to_have_text("共 1 件案件")
    expect(page.get_by_test_id("case-link")).to_have_text(seeds.number)

    exports = page.get_by_test_id("register-export")
    with page.context.expect_page() as opened:
        exports.get_by_role("link", name="打印").click()
    printed = opened.value
    printed.wait_for_load_state()
    expect(printed.locator("h1")).to_have_text("案件台账")
    meta = printed.locator(".register-print-meta")
    expect(meta).to_contain_text("查询: 种子")
    expect(meta).to_contain_text("王明")
    rows = printed.locator("[data-testid=register-print] tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(seeds.number)
    expect(rows.first).to_contain_text("某种子店销售假种子案")
    expect(rows.first).to_contain_text("种植业执法科")
    expect(rows.first).to_contain_text("王明")
    expect(printed.get_by_role("link", name="返回案件台账")).to_be_visible()
    printed.close()

    with page.expect_download() as download:
        exports.get_by_role("link", name="XLSX").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()), read_only=True)
    sheet = book["案件台账"]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][: len(HEADERS)] == HEADERS
    assert [row[0] for row in values[1:]] == [seeds.number]
    assert values[1][1:8] == [
        "某种子店销售假种子案",
        None,  # no party linked yet (an empty cell)
        "种子",
        "种植业执法科",
        "启动",
        "普通",
        "王明",
    ]

    with page.expect_download() as download:
        exports.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename.endswith(".csv")
    text = download.value.path().read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads the BOM as UTF-8
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert lines[0][: len(HEADERS)] == HEADERS
    assert [line[0] for line in lines[1:]] == [seeds.number]
    assert pesticide.number not in text and other.number not in text

    exported = AuditEvent.objects.filter(action="case.export").order_by("seq")
    assert [e.details.get("format") for e in exported] == ["print", "xlsx", "csv"]
    assert all(e.details.get("filters") == {"q": "种子"} for e in exported)
