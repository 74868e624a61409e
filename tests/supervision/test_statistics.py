"""Statistics (R22.1): the daily figures match the raw tables, the dashboard's tables and
its XLSX export agree, the annual figures and report, and who may open them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db.models import Sum

from liuhen.cases.models import Case, Procedure, Stage
from liuhen.core import audit
from liuhen.core.models import AuditEvent
from liuhen.devices import actions as device_actions
from liuhen.media.actions import curation
from liuhen.media.models import AvRecord
from liuhen.supervision import tasks
from liuhen.supervision.actions import statistics as actions
from liuhen.supervision.actions.findings import raise_finding
from liuhen.supervision.models import DailyFigure, Metric
from liuhen.supervision.statistics import annual_figures, dashboard
from tests.factories import CaseFactory, denial, sign_in
from tests.fixtures.clock import hours_ago
from tests.media.linking import M, activity, av

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("activity_types")]


@pytest.fixture
def statistics_world(
    officer_wang,
    officer_ma,
    officer_li,
    unit_a,
    unit_b,
    case_a_two_officers,
    custodian_zhou,
    recorder,
):
    """Cases in two units, an activity with AV and one without, a finding, a checkout."""
    simple = CaseFactory(
        unit=unit_a, officers=[officer_wang], procedure=Procedure.SIMPLE, stage=Stage.DECISION
    )
    other = CaseFactory(unit=unit_b, officers=[officer_li], field="种子")
    covered = activity(officer_wang, case_a_two_officers, [officer_wang, officer_ma], hours_ago(5))
    activity(officer_wang, case_a_two_officers, [officer_wang, officer_ma], hours_ago(3))
    record = av(officer_wang, officer=officer_wang, captured_at=covered.started_at + 5 * M)
    curation.link(officer_wang, record, activity=covered)
    raise_finding(
        None,
        kind="av_missing",
        article="R5.2",
        summary="缺少音像记录",
        dedupe_key="statistics-test",
        case=other,
        officer=officer_li,
    )
    device_actions.check_out(custodian_zhou, recorder, holder=officer_wang, at=hours_ago(6))
    actions.refresh_figures(audit.SYSTEM)
    return {"simple": simple, "other": other, "record": record}


def _sums(**filters):
    rows = DailyFigure.objects.filter(monthly=False, **filters).values("metric", "dimension")
    rows = rows.order_by()
    return {(r["metric"], r["dimension"]): r["total"] for r in rows.annotate(total=Sum("value"))}


def test_figures_match_the_raw_tables(statistics_world, officer_wang, unit_a):
    units = _sums(officer__isnull=True)
    for stage in Stage.values:
        assert units.get((Metric.CASE_STAGE, stage), 0) == Case.objects.filter(stage=stage).count()
    for procedure in Procedure.values:
        raw = Case.objects.filter(procedure=procedure).count()
        assert units.get((Metric.CASE_PROCEDURE, procedure), 0) == raw
    assert units[(Metric.CASE_FIELD, "种子")] == Case.objects.filter(field="种子").count()
    assert units[(Metric.AV_COVERAGE, "covered")] == 1
    assert units[(Metric.AV_COVERAGE, "uncovered")] == 1
    assert sum(v for (m, _d), v in units.items() if m == Metric.UPLOAD_DELAY) == (
        AvRecord.objects.count()
    )
    assert units[(Metric.UPLOAD_DELAY, "within_1d")] == 1
    assert units[(Metric.FINDINGS, "open")] == 1
    assert units[(Metric.DEVICE_USE, "recorder")] == 1
    # The officer's share: his cases, his activities, his checkout.
    wang = _sums(officer=officer_wang)
    assert sum(v for (m, _d), v in wang.items() if m == Metric.CASE_PROCEDURE) == (
        officer_wang.assigned_cases.count()
    )
    assert wang[(Metric.AV_COVERAGE, "covered")] == 1
    assert wang[(Metric.DEVICE_USE, "recorder")] == 1


def test_the_scheduler_task_refreshes(statistics_world, officer_wang, unit_a):
    CaseFactory(unit=unit_a, officers=[officer_wang])
    before = _sums(officer__isnull=True)[(Metric.CASE_STAGE, Stage.INITIATION)]
    assert tasks.refresh_statistics.call() > 0
    assert _sums(officer__isnull=True)[(Metric.CASE_STAGE, Stage.INITIATION)] == before + 1
    assert AuditEvent.objects.filter(action="statistics.refresh").count() == 2


def _table(html: str, key: str) -> list[tuple[str, int]]:
    import re

    section = html.split(f'data-testid="table-{key}"')[1].split("</tbody>")[0]
    cells = re.findall(
        r"<tr data-key=\"[^\"]*\"><td>([^<]*)</td><td class=\"text-end\">(\d+)</td>", section
    )
    return [(label, int(value)) for label, value in cells]


def test_dashboard_tables_and_xlsx_agree(client, statistics_world, supervisor_zheng):
    from openpyxl import load_workbook

    sign_in(client, supervisor_zheng)
    page = client.get("/statistics/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    html = page.content.decode()
    assert "执法统计" in html and 'id="chart-case_stage"' in html
    response = client.get("/statistics/export.xlsx?" + page.context["filter_query"])
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    for chart in page.context["charts"]:
        sheet = book[chart.title[:31]]
        rows = [tuple(r) for r in sheet.iter_rows(min_row=3, values_only=True)][: len(chart.rows)]
        assert [(r[0], r[1]) for r in rows] == [(row.label, row.value) for row in chart.rows]
        assert _table(html, chart.key) == [(row.label, row.value) for row in chart.rows]
    export = AuditEvent.objects.get(action="statistics.export")
    assert export.details["format"] == "xlsx" and export.actor_id == str(supervisor_zheng.pk)


def test_officer_filter_shows_the_officers_share(
    client, statistics_world, supervisor_zheng, officer_li
):
    sign_in(client, supervisor_zheng)
    page = client.get(f"/statistics/?officer={officer_li.pk}")
    charts = {chart.key: chart for chart in page.context["charts"]}
    assert charts[Metric.CASE_PROCEDURE].total == 1
    assert charts[Metric.FINDINGS].total == 1
    assert (officer_li.pk, officer_li.display_name) in page.context["officers"]


def test_unit_head_sees_only_their_unit(client, statistics_world, head_zhang, unit_a):
    sign_in(client, head_zhang)
    page = client.get("/statistics/")
    assert page.status_code == 200
    assert [unit.pk for unit in page.context["units"]] == [unit_a.pk]
    charts = {chart.key: chart for chart in page.context["charts"]}
    assert charts[Metric.CASE_PROCEDURE].total == Case.objects.filter(unit=unit_a).count()
    assert charts[Metric.FINDINGS].total == 0  # the finding is unit B's
    # Asking for another unit's figures gives their own unit's.
    other = client.get(f"/statistics/?unit={statistics_world['other'].unit_id}")
    assert other.context["filters"].unit_id == unit_a.pk


@pytest.mark.parametrize("persona", ["officer_wang", "sysadmin_zhao", "auditor_chen"])
def test_others_may_not_open_statistics(client, request, statistics_world, persona):
    user = request.getfixturevalue(persona)
    sign_in(client, user)
    assert client.get("/statistics/").status_code == 403
    assert client.get("/statistics/export.xlsx").status_code == 403
    assert client.get("/supervision/").status_code == 403
    assert client.post("/statistics/annual-report/", {"year": 2026}).status_code == 403
    assert denial("statistics.view", actor_id=str(user.pk))


def test_supervisor_home_shows_the_statistics_tile(
    client, supervisor_zheng, agency_head_liu, head_zhang
):
    for person in (supervisor_zheng, agency_head_liu):
        sign_in(client, person)
        html = client.get("/supervision/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert 'data-tile="statistics"' in html and 'href="/statistics/"' in html
    sign_in(client, head_zhang)
    assert client.get("/supervision/").status_code == 403
    assert client.get("/statistics/").status_code == 200  # a unit head: own unit only


def test_annual_figures(statistics_world):
    from django.utils import timezone

    figures = annual_figures(timezone.localdate().year)
    assert (
        figures["cases"] == Case.objects.filter(opened_at__year=timezone.localdate().year).count()
    )
    assert figures["av_coverage"] == {"activities": 2, "covered": 1, "share": 50.0}
    assert figures["findings"]["raised"] == 1
    assert annual_figures(2001)["cases"] == 0


def test_annual_report_needs_a_seal(client, statistics_world, supervisor_zheng):
    sign_in(client, supervisor_zheng)
    response = client.post(
        "/statistics/annual-report/", {"year": 2026}, HTTP_ACCEPT_LANGUAGE="zh-hans", follow=True
    )
    assert "印章" in response.content.decode()


def test_annual_report_is_a_sealed_pdf(client, statistics_world, supervisor_zheng, installed_seal):
    from django.utils import timezone
    from pypdf import PdfReader

    year = timezone.localdate().year
    sign_in(client, supervisor_zheng)
    response = client.post("/statistics/annual-report/", {"year": year})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages).replace(" ", "").replace("\n", "")
    assert f"{year}年度执法全过程记录工作情况" in text and "本年度立案3件" in text
    assert any(field.get("/FT") == "/Sig" for field in reader.get_fields().values())
    event = AuditEvent.objects.get(action="statistics.annual_report")
    assert event.details["year"] == year


def test_dashboard_reads_no_raw_table(
    statistics_world, supervisor_zheng, django_assert_max_num_queries
):
    from django.utils import timezone

    today = timezone.localdate()
    filters = dashboard.Filters(start=today.replace(month=1, day=1), end=today)
    with django_assert_max_num_queries(4):
        dashboard.charts(supervisor_zheng, filters)


@pytest.mark.parametrize("days_back", [0, 3, 40, 400])
def test_months_and_ragged_ends_sum_like_the_days(statistics_world, supervisor_zheng, days_back):
    from django.utils import timezone

    today = timezone.localdate()
    start = today - dt.timedelta(days=days_back)
    filters = dashboard.Filters(start=start, end=today + dt.timedelta(days=31))
    by_period = {
        (chart.key, row.key): row.value
        for chart in dashboard.charts(supervisor_zheng, filters)
        for row in chart.rows
        if chart.key != "cases_by_month"
    }
    days = _sums(officer__isnull=True, day__gte=filters.start, day__lte=filters.end)
    assert by_period == days
