"""The case register (R4.3): constant queries, XLSX/CSV export and print — visible cases only."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from liuhen.cases.models import Case, Stage
from liuhen.core.models import AuditEvent, Outcome
from liuhen.subjects.models import CaseParty, PartyRole, Subject
from tests.factories import CaseFactory, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def register_of_three_cases(unit_a, unit_b, officer_wang, officer_li, head_zhang):
    first = CaseFactory(
        unit=unit_a,
        number="洼农（农药）立〔2026〕1号",
        title="甲农资店案",
        field="农药",
        officers=[officer_wang, head_zhang],
    )
    shop = Subject.objects.create(kind="unit", name="甲农资店")
    CaseParty.objects.create(case=first, subject=shop)
    witness = Subject.objects.create(kind="person", name="路人丙")
    CaseParty.objects.create(case=first, subject=witness, role=PartyRole.INTERESTED)
    CaseFactory(
        unit=unit_a,
        number="洼农（种子）立〔2026〕1号",
        title='=HYPERLINK("x")',
        field="种子",
        stage=Stage.INVESTIGATION,
    )
    CaseFactory(
        unit=unit_b, number="洼农（兽药）立〔2026〕1号", title="乙养殖场案", officers=[officer_li]
    )


def _export(client, fmt: str, query: str = "") -> bytes:
    response = client.get(f"/cases/register/export.{fmt}{query}")
    assert response.status_code == 200, response
    return b"".join(response.streaming_content)


def test_csv_has_a_bom_and_only_visible_cases_audited(
    client, register_of_three_cases, officer_wang
) -> None:
    client.force_login(officer_wang)
    response = client.get("/cases/register/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["案号", "案件名称", "当事人", "执法领域"]
    numbers = {row[0] for row in rows[1:]}
    assert numbers == {"洼农（农药）立〔2026〕1号", "洼农（种子）立〔2026〕1号"}
    first = next(row for row in rows if row[0] == "洼农（农药）立〔2026〕1号")
    assert (
        first[2] == "甲农资店"  # the party, not the interested party
        and first[3] == "农药"
        and first[4] == "种植业执法科"
        and "王明" in first[7]
        and "张伟" in first[7]
    )
    assert any(row[1] == '\'=HYPERLINK("x")' for row in rows)  # no formula injection
    event = AuditEvent.objects.get(action="case.export")
    assert event.details == {"filters": {}, "format": "csv", "rows": 2}
    assert event.actor_name == "officer_wang" and event.outcome == Outcome.OK


def test_xlsx_opens_with_the_filtered_visible_cases(
    client, register_of_three_cases, agency_head_liu
) -> None:
    client.force_login(agency_head_liu)
    response = client.get("/cases/register/export.xlsx?stage=initiation&q=洼农")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("案号", "案件名称", "当事人", "执法领域")
    numbers = {row[0] for row in rows[1:]}
    # The agency head sees both units; the stage filter drops the investigation case.
    assert numbers == {"洼农（农药）立〔2026〕1号", "洼农（兽药）立〔2026〕1号"}
    assert all(row[5] == "启动" for row in rows[1:])
    event = AuditEvent.objects.get(action="case.export")
    assert event.details == {
        "filters": {"q": "洼农", "stage": "initiation"},
        "format": "xlsx",
        "rows": 2,
    }


def test_xlsx_has_no_formulas(client, register_of_three_cases, officer_wang) -> None:
    client.force_login(officer_wang)
    workbook = load_workbook(io.BytesIO(_export(client, "xlsx")))
    cells = [cell for row in workbook.active.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)


def test_control_characters_in_a_title_do_not_break_the_xlsx(
    client, register_of_three_cases, officer_wang, unit_a
) -> None:
    # XML 1.0 cannot hold most C0 controls; a title pasted with one must not stop the
    # whole export. The character is shown as U+FFFD, the rest of the cell kept.
    CaseFactory(unit=unit_a, title="丙\x01农资\x1b店", officers=[officer_wang])
    client.force_login(officer_wang)
    workbook = load_workbook(io.BytesIO(_export(client, "xlsx")), read_only=True)
    titles = {row[1] for row in workbook.active.iter_rows(values_only=True)}
    assert "丙\ufffd农资\ufffd店" in titles


@pytest.mark.parametrize("persona", ["sysadmin_zhao", "auditor_chen"])
def test_admins_may_not_export_and_it_is_audited(
    request, client, register_of_three_cases, persona
) -> None:
    sign_in(client, request.getfixturevalue(persona))
    for fmt in ("csv", "xlsx"):
        assert client.get(f"/cases/register/export.{fmt}").status_code == 403
    assert client.get("/cases/register/print/").status_code == 403
    assert not AuditEvent.objects.filter(action="case.export").exists()
    assert AuditEvent.objects.filter(action="case.list", outcome=Outcome.DENIED).count() == 3


def test_unknown_format_is_404(client, register_of_three_cases, officer_wang) -> None:
    client.force_login(officer_wang)
    assert client.get("/cases/register/export.pdf").status_code == 404


def test_print_view_lists_visible_cases_with_print_css(
    client, register_of_three_cases, officer_li
) -> None:
    client.force_login(officer_li)
    html = client.get("/cases/register/print/").content.decode()
    assert "洼农（兽药）立〔2026〕1号" in html and "李强" in html
    assert "甲农资店案" not in html
    assert "web/register-print" in html and "style=" not in html and "<style" not in html
    event = AuditEvent.objects.get(action="case.export")
    assert event.details == {"filters": {}, "format": "print", "rows": 1}


def test_list_offers_exports_with_the_current_filter(
    client, register_of_three_cases, officer_wang
) -> None:
    client.force_login(officer_wang)
    html = client.get("/cases/?q=甲&stage=initiation").content.decode()
    assert "/cases/register/export.xlsx?q=%E7%94%B2&amp;stage=initiation" in html


def _list_queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/cases/").status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("count", [5, 50])
def test_list_page_uses_a_constant_number_of_queries(
    client, unit_a, officer_wang, head_zhang, count, django_assert_max_num_queries
) -> None:
    client.force_login(officer_wang)
    client.get("/cases/")  # warm-up: the first request of a session does more
    for _ in range(count):
        CaseFactory(unit=unit_a, officers=[officer_wang, head_zhang])
    # session, user, security settings, roles, 2FA device, unread notifications, count, page,
    # the page's parties
    for case in Case.objects.all():
        CaseParty.objects.create(case=case, subject=Subject.objects.create(kind="unit", name="x"))
    with django_assert_max_num_queries(9):
        assert client.get("/cases/").status_code == 200


def test_list_queries_do_not_grow_with_rows(client, unit_a, officer_wang) -> None:
    client.force_login(officer_wang)
    client.get("/cases/")
    for _ in range(5):
        CaseFactory(unit=unit_a)
    five = _list_queries(client)
    for _ in range(45):
        CaseFactory(unit=unit_a)
    assert _list_queries(client) == five
