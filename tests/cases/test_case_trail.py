"""R1.1: the case's trail 全程留痕 is usable by the bureau. It names what each event was about
in words (the case number, a document's title and 文号, an AV file's name — never
"cases.case #6"), holds the views and plays of the AV records linked to the case and the
opening of its documents, the denied attempts (a record hidden from the asker answered 404
too), is read by supervisors and unit heads who may read the case (and nobody else), and
is exported as PDF, XLSX and CSV, the export itself audited."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from liuhen.cases import timeline
from liuhen.cases.actions.registration import read_timeline
from liuhen.core.models import AuditEvent, Outcome
from liuhen.documents.actions import reading
from liuhen.media.actions import curation, viewing
from tests.delivery.service_helpers import av, issued_row
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

NUMBER = "洼农（农药）立〔2026〕3号"
DECISION = "洼农（农药）罚〔2026〕7号"


@pytest.fixture
def trail_decision(officer_wang, numbered_case_a):
    return issued_row(officer_wang, numbered_case_a, number=DECISION)


@pytest.fixture
def linked_clip(officer_wang, numbered_case_a):
    record = av(officer_wang, "现场检查.mp4")
    curation.link(officer_wang, record, case=numbered_case_a)
    return record


def _about(case) -> dict[str, str]:
    """action → the label of its newest event's object, over the whole trail."""
    found: dict[str, str] = {}
    for entry in timeline.entries(timeline.trail(case).order_by("seq")):
        found[entry.event.action] = entry.about
    return found


def test_the_trail_names_the_case_and_its_documents_in_words(
    officer_wang, numbered_case_a, trail_decision
):
    read_timeline(officer_wang, numbered_case_a)  # an event about the case itself
    reading.view_issued(officer_wang, trail_decision)
    about = _about(numbered_case_a)
    assert about["case.timeline"] == NUMBER
    assert about["document.view"] == f"行政处罚决定书 {DECISION}"
    assert not any("#" in label or "cases.case" in label for label in about.values())


def test_views_and_plays_of_the_cases_av_records_are_in_its_trail(
    officer_wang, numbered_case_a, linked_clip
):
    viewing.view_record(officer_wang, linked_clip)
    viewing.play(officer_wang, linked_clip, token="")
    events = timeline.trail(numbered_case_a)
    assert {"media.view", "media.play"} <= set(events.values_list("action", flat=True))
    view = events.get(action="media.view")
    assert view.case_id is None  # the record has no case of its own: the link brings it in
    assert _about(numbered_case_a)["media.view"] == "视频 现场检查.mp4"


def test_an_unlinked_records_views_are_not_in_the_trail(officer_wang, numbered_case_a):
    other = av(officer_wang, "别的案件.mp4")
    viewing.view_record(officer_wang, other)
    assert not timeline.trail(numbered_case_a).filter(action="media.view").exists()


def test_a_hidden_document_answered_404_is_audited_in_its_cases_trail(
    client, officer_li, numbered_case_a, trail_decision
):
    client.force_login(officer_li)
    assert client.get(f"/documents/issued/{trail_decision.pk}/").status_code == 404
    denied = timeline.trail(numbered_case_a).get(outcome=Outcome.DENIED)
    assert denied.case_id == numbered_case_a.pk and denied.actor_name == "officer_li"
    assert _about(numbered_case_a)[denied.action] == f"行政处罚决定书 {DECISION}"


def test_a_hidden_case_answered_404_is_audited_in_its_own_trail(
    client, officer_li, numbered_case_a
):
    client.force_login(officer_li)
    assert client.get(f"/cases/{numbered_case_a.pk}/").status_code == 404
    denied = AuditEvent.objects.get(outcome=Outcome.DENIED, actor_name="officer_li")
    assert denied.case_id == numbered_case_a.pk


@pytest.mark.parametrize("persona", ["supervisor_zheng", "head_zhang"])
def test_supervisors_and_unit_heads_read_the_trail_of_cases_they_may_read(
    request, client, persona, numbered_case_a, trail_decision
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(f"/cases/{numbered_case_a.pk}/trail/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="trail-table"' in html and NUMBER in html
    assert f'href="/cases/{numbered_case_a.pk}/trail/export.pdf"' in html
    assert AuditEvent.objects.filter(action="case.timeline", case_id=numbered_case_a.pk).exists()


def test_a_unit_head_of_another_unit_does_not_read_a_restricted_cases_trail(
    client, unit_b, officer_wang, unit_a
):
    from liuhen.accounts.models import Role
    from liuhen.core.confidentiality import Confidentiality
    from tests.fixtures.personas import make_person

    head_b = make_person("head_b", "外单位科长", [Role.UNIT_HEAD, Role.OFFICER], unit_b)
    case = CaseFactory(
        unit=unit_a, officers=[officer_wang], confidentiality=Confidentiality.TRADE_SECRET
    )
    client.force_login(head_b)
    assert client.get(f"/cases/{case.pk}/trail/").status_code == 404
    assert client.get(f"/cases/{case.pk}/trail/export.xlsx").status_code == 404
    assert AuditEvent.objects.filter(
        action="case.timeline", outcome=Outcome.DENIED, case_id=case.pk
    ).exists()
    assert not AuditEvent.objects.filter(action="case.timeline_export").exists()


def test_the_trail_exports_as_xlsx_and_csv_and_the_export_is_audited(
    client, supervisor_zheng, officer_wang, numbered_case_a, trail_decision
):
    reading.view_issued(officer_wang, trail_decision)
    client.force_login(supervisor_zheng)
    response = client.get(f"/cases/{numbered_case_a.pk}/trail/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["序号", "时间", "操作人", "操作", "对象", "结果", "IP 地址"]
    assert [f"行政处罚决定书 {DECISION}"] == [r[4] for r in rows[1:] if r[3] == "查阅文书"]
    export = AuditEvent.objects.get(action="case.timeline_export")
    assert export.case_id == numbered_case_a.pk and export.details["format"] == "xlsx"
    assert rows[-1][3] == "导出案件全程留痕"  # the export is in the trail it exports

    response = client.get(f"/cases/{numbered_case_a.pk}/trail/export.csv")
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert any(NUMBER in line for line in lines)
    assert client.get(f"/cases/{numbered_case_a.pk}/trail/export.doc").status_code == 404


@pytest.mark.usefixtures("shared_font_cache")
def test_the_trail_exports_as_pdf(client, head_zhang, numbered_case_a):
    from tests.fixtures.documents import pdf_text

    client.force_login(head_zhang)
    response = client.get(f"/cases/{numbered_case_a.pk}/trail/export.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content).replace(" ", "")
    assert "案件全程留痕" in text and NUMBER in text
    assert AuditEvent.objects.get(action="case.timeline_export").details["format"] == "pdf"
