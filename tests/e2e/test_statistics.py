"""R22.1 in the browser: the supervisor opens the statistics on an upright tablet; every
chart is drawn, its table lists the same figures, and the XLSX export matches the tables."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import Page, expect

from liuhen.cases.models import Procedure
from liuhen.core import audit
from liuhen.supervision.actions import statistics as actions
from liuhen.supervision.models import Metric
from tests.e2e.helpers import login
from tests.factories import CaseFactory
from tests.fixtures.clock import hours_ago
from tests.media.linking import activity

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("activity_types")]


@pytest.fixture
def counted_statistics(unit_a, unit_b, officer_wang, officer_ma, officer_li, case_a_two_officers):
    CaseFactory(unit=unit_a, officers=[officer_wang], procedure=Procedure.SIMPLE, field="种子")
    CaseFactory(unit=unit_b, officers=[officer_li], field="兽药")
    activity(officer_wang, case_a_two_officers, [officer_wang, officer_ma], hours_ago(4))
    actions.refresh_figures(audit.SYSTEM)


def _table_rows(page: Page, key: str) -> list[tuple[str, int]]:
    rows = page.get_by_test_id(f"table-{key}").locator("tbody tr[data-key]")
    found = []
    for index in range(rows.count()):
        cells = rows.nth(index).locator("td")
        found.append((cells.nth(0).inner_text().strip(), int(cells.nth(1).inner_text())))
    return found


def test_dashboard_charts_tables_and_export(
    portrait_tablet: Page, counted_statistics, supervisor_zheng, officer_li
) -> None:
    from openpyxl import load_workbook

    page = login(portrait_tablet, "supervisor_zheng", next_url="/supervision/")
    page.locator("[data-tile=statistics]").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("执法统计")
    charts = page.locator("[data-chart]")
    expect(charts.first).to_be_visible()
    # Every chart with figures is drawn by ECharts (a canvas inside its div).
    for key in ("cases_by_month", Metric.CASE_STAGE, Metric.CASE_PROCEDURE, Metric.AV_COVERAGE):
        expect(page.locator(f"#chart-{key} canvas").first).to_be_attached()
    assert page.locator("[data-chart] canvas").count() >= charts.count()
    tables = {
        key: _table_rows(page, key)
        for key in ("cases_by_month", *[metric.value for metric in Metric])
    }
    assert dict(tables[Metric.CASE_PROCEDURE]) == {"普通程序": 2, "简易程序": 1}
    assert dict(tables[Metric.AV_COVERAGE]) == {"未关联音像记录": 1}

    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").tap()
    assert download.value.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    for sheet in book.worksheets:
        rows = [row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0] != "合计"]
        title = sheet["A1"].value
        section = page.locator("section[data-testid^=chart-section-]", has_text=title)
        key = section.get_attribute("data-testid").removeprefix("chart-section-")
        assert [(r[0], r[1]) for r in rows] == tables[key]

    # The officer filter narrows to his share.
    page.select_option("select[name=officer]", str(officer_li.pk))
    page.locator("[data-testid=statistics-filter] button[type=submit]").tap()
    expect(page.locator("select[name=officer]")).to_have_value(str(officer_li.pk))
    assert dict(_table_rows(page, Metric.CASE_PROCEDURE)) == {"普通程序": 1}
