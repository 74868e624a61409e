"""Import of existing cases (R20.1, Art. 20): the template's example file imported twice
makes each case once; a dry run writes nothing; a broken row is reported with its row
number and reasons and nothing of it is written; a run picks up where one stopped; scanned
paper files are attached by case number; only who may enter a unit's cases imports them;
an imported case says it was imported and is not held to a record it never had."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from PIL import Image

from liuhen.cases import compliance
from liuhen.cases.actions.imports import Status, import_cases
from liuhen.cases.imports import reader
from liuhen.cases.imports.example import EXAMPLE_ROWS, example_csv, write_template
from liuhen.cases.models import Case, ImportedCase, Stage
from liuhen.core.models import AuditEvent
from liuhen.documents.models import IssuedDocument, Origin
from liuhen.subjects.models import CaseParty, Subject
from tests.factories import sign_in

pytestmark = pytest.mark.django_db

NUMBERS = [row["number"] for row in EXAMPLE_ROWS]


@pytest.fixture
def example_file(tmp_path, unit_a, officer_wang) -> Path:
    """The template's example rows as CSV, in a bureau whose 种植业执法科 has 王明."""
    path = tmp_path / "历史案件.csv"
    path.write_bytes(example_csv())
    return path


def _run(path: Path, username: str, *args: str) -> tuple[str, int]:
    out = io.StringIO()
    try:
        call_command(
            "import_cases", str(path), "--as", username, *args, stdout=out, stderr=io.StringIO()
        )
    except SystemExit as stop:
        return out.getvalue(), int(stop.code or 0)
    return out.getvalue(), 0


def test_a_dry_run_checks_every_row_and_writes_nothing(example_file) -> None:
    out, code = _run(example_file, "officer_wang")
    assert code == 0, out
    assert "试导入" in out and "可导入 3" in out, out
    assert not Case.objects.exists() and not Subject.objects.exists()


def test_importing_the_example_twice_makes_each_case_once(example_file, officer_wang) -> None:
    out, code = _run(example_file, "officer_wang", "--commit")
    assert code == 0, out
    assert sorted(Case.objects.values_list("number", flat=True)) == sorted(NUMBERS)
    again, code = _run(example_file, "officer_wang", "--commit")
    assert code == 0 and "已导入过 3" in again, again
    assert Case.objects.count() == 3 == ImportedCase.objects.count()
    closed = Case.objects.get(number=NUMBERS[0])
    assert closed.stage == Stage.SERVICE and closed.closing_condition == "executed"
    assert closed.closed_at is not None and closed.closed_at.date().isoformat() == "2023-06-20"
    assert list(closed.officers.all()) == [officer_wang]
    party = CaseParty.objects.get(case=closed).subject
    assert (party.name, party.uscc) == ("盘锦某农资经营部", "912111043456789098")
    facts = closed.imported
    assert (facts.decision_number, facts.fine_fen) == ("洼农（农药）罚〔2023〕12号", 500000)
    assert facts.file_name == "历史案件.csv" and facts.row_number == 2
    events = AuditEvent.objects.filter(action="case.import")
    assert events.count() == 3
    assert events.get(case_id=closed.pk).actor_name == officer_wang.username


def test_a_broken_row_is_reported_by_number_and_nothing_of_it_is_written(
    tmp_path, unit_a, officer_wang
) -> None:
    text = example_csv().decode("utf-8-sig").splitlines()
    broken = text[2].replace("2024年3月5日", "去年春天").replace("种植业执法科", "不存在的科室")
    path = tmp_path / "broken.csv"
    path.write_text("\n".join([text[0], text[1], broken, text[3]]) + "\n", encoding="utf-8")
    out, code = _run(path, "officer_wang", "--commit")
    assert code == 1
    line = next(line for line in out.splitlines() if line.startswith("第 3 行"))
    assert "未导入" in line and "立案日期" in line and "执法科室" in line, out
    assert not Case.objects.filter(number=NUMBERS[1]).exists()
    assert not Subject.objects.filter(name="张某某").exists()
    assert Case.objects.count() == 2


def test_a_stopped_run_picks_up_where_it_stopped(tmp_path, example_file, officer_wang) -> None:
    first_only = tmp_path / "first.csv"
    lines = example_csv().decode("utf-8-sig").splitlines()
    first_only.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    _run(first_only, "officer_wang", "--commit")
    report = import_cases(officer_wang, reader.read(example_file), commit=True)
    assert [o.status for o in report.outcomes] == [Status.SKIPPED, Status.CREATED, Status.CREATED]


def test_the_xlsx_template_reads_back_as_its_example(tmp_path, unit_a, officer_wang) -> None:
    path = tmp_path / "模板.xlsx"
    write_template(path)
    rows = reader.read(path).rows
    assert [row.cells["number"] for row in rows] == NUMBERS
    report = import_cases(officer_wang, reader.read(path), commit=True)
    assert report.count(Status.CREATED) == 3


def test_a_case_number_entered_in_the_system_is_not_overwritten(
    example_file, officer_wang, unit_a
) -> None:
    from tests.factories import CaseFactory

    CaseFactory(number=NUMBERS[0], unit=unit_a, title="系统内已办案件")
    out, code = _run(example_file, "officer_wang", "--commit")
    assert code == 1 and "案件编号" in out
    assert Case.objects.get(number=NUMBERS[0]).title == "系统内已办案件"


def test_only_who_may_enter_the_units_cases_imports_them(example_file, officer_li) -> None:
    out, code = _run(example_file, "officer_li", "--commit")
    assert code == 1 and out.count("执法科室") >= 3, out
    assert not Case.objects.exists()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 60), (250, 250, 240)).save(out, format="PNG")
    return out.getvalue()


def test_scans_are_attached_by_case_number_once(
    tmp_path, example_file, officer_wang, docs_storage
) -> None:
    scans = tmp_path / "scans"
    own = scans / NUMBERS[0]
    own.mkdir(parents=True)
    (own / "行政处罚决定书.png").write_bytes(_png())
    (scans / f"{NUMBERS[1]}-询问笔录-1.png").write_bytes(_png())
    (own / "说明.png").write_bytes(_png())
    out, _code = _run(example_file, "officer_wang", "--commit", "--scans", str(scans))
    assert "新附 2" in out and "未附 1" in out and "说明.png" in out, out
    papers = IssuedDocument.objects.filter(origin=Origin.PAPER)
    assert sorted(papers.values_list("form_code", flat=True)) == [
        "inquiry_transcript",
        "penalty_decision",
    ]
    again, _code = _run(example_file, "officer_wang", "--commit", "--scans", str(scans))
    assert "已有 2" in again and papers.count() == 2


def test_an_imported_case_is_not_held_to_the_stages_before_it(example_file, officer_wang) -> None:
    _run(example_file, "officer_wang", "--commit")
    case = Case.objects.get(number=NUMBERS[1])  # imported while under investigation
    earlier = [f for f in compliance.findings_for_case(case) if f.stage == Stage.INITIATION]
    assert earlier == []


def test_the_case_page_says_the_case_was_imported(example_file, officer_wang) -> None:
    _run(example_file, "officer_wang", "--commit")
    case = Case.objects.get(number=NUMBERS[0])
    page = sign_in(Client(), officer_wang).get(f"/cases/{case.pk}/")
    text = page.content.decode()
    assert 'data-testid="case-imported"' in text
    assert "历史案件.csv" in text and "洼农（农药）罚〔2023〕12号" in text
