"""R18.1: a closed case's file 案卷 is assembled from its records — catalogue in the
configured order, page numbers running through, AV evidence listed with digest, duration
and place in the package — bound as one sealed PDF with a bookmark per entry, reviewed and
archived by the archivist with a gapless 档号 per year and a retention class from the rules."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from liuhen.archives import numbering
from liuhen.archives.actions import case_file as actions
from liuhen.archives.events import ArchiveEvents
from liuhen.archives.models import ArchiveSeries, CaseFile, CaseFileStatus, EntryKind
from liuhen.archives.perms import ArchivePerms
from liuhen.cases.models import ClosingCondition, Procedure
from liuhen.core.access import AccessDenied
from liuhen.core.actions import configuration
from liuhen.core.blobs import store_blob
from liuhen.core.models import AuditEvent
from liuhen.documents.files import read_blob
from liuhen.documents.seal.certificate import trust_roots
from liuhen.documents.seal.sealing import validate_pdf
from liuhen.media.actions import curation
from liuhen.media.models import AvRecord, AvSource
from tests.factories import CaseFactory, denial
from tests.fixtures.documents import ORDER_VALUES, issue_form

pytestmark = pytest.mark.django_db

DECISION_VALUES = {"statement": "当事人未提出陈述、申辩意见。"}


def _close(case: Any, days_ago: int = 1) -> Any:
    # The closing itself is the cases app's (tested there); here only its outcome matters.
    case.closed_at = timezone.now() - dt.timedelta(days=days_ago)
    case.closing_condition = ClosingCondition.EXECUTED
    case.save(update_fields=["closed_at", "closing_condition"])
    return case


def _evidence_clip(officer: Any, case: Any) -> AvRecord:
    record = AvRecord.objects.create(
        blob=store_blob(io.BytesIO(b"clip of the inspection")),
        kind="video",
        source=AvSource.UPLOAD,
        original_name="DSJ0001_20260901093000.mp4",
        content_type="video/mp4",
        unit=case.unit,
        officer=officer,
        captured_at=timezone.now() - dt.timedelta(days=20),
        uploaded_by=officer,
    )
    curation.link(officer, record, case=case, evidence=True)
    return record


@pytest.fixture
def closed_case_with_records(installed_seal, decided_case, officer_wang) -> Any:
    """The decided case with a 责令改正通知书 issued before its penalty decision, an AV clip
    linked as evidence, and closed."""
    issue_form(officer_wang, decided_case, "rectification_order", **ORDER_VALUES)
    issue_form(officer_wang, decided_case, "penalty_decision", **DECISION_VALUES)
    _evidence_clip(officer_wang, decided_case)
    return _close(decided_case)


def _assembled(archivist: Any, case: Any) -> CaseFile:
    return actions.assemble_case_file(archivist, case)


def test_the_file_is_assembled_in_the_configured_order_with_pages_running_through(
    closed_case_with_records, archivist_wu
) -> None:
    case_file = _assembled(archivist_wu, closed_case_with_records)
    entries = list(case_file.entries.order_by("position"))
    groups = [entry.group for entry in entries]
    # The decision comes first although it was issued last; AV evidence after the
    # investigation's documents.
    assert groups[0] == "decision"
    assert groups.index("investigation") < groups.index("av_evidence")
    assert [entry.position for entry in entries] == list(range(1, len(entries) + 1))
    paged = [entry for entry in entries if entry.kind != EntryKind.AV]
    expected = 1
    for entry in paged:
        assert entry.first_page == expected
        expected += entry.pages
    av = next(entry for entry in entries if entry.kind == EntryKind.AV)
    assert av.first_page is None
    assert len(av.digest) == 64
    assert av.package_path == f"av/{av.av_record_id}/{av.av_record.original_name}"
    assert case_file.suggested_retention == "permanent"
    assert AuditEvent.objects.filter(action=ArchiveEvents.ASSEMBLE, case_id=case_file.case_id)


def test_the_order_is_configuration(closed_case_with_records, archivist_wu, sysadmin_zhao) -> None:
    configuration.set_rule(
        sysadmin_zhao,
        "case_file_order",
        ["filing", "investigation", "av_evidence", "decision"],
        "按本局案卷装订规范",
    )
    case_file = _assembled(archivist_wu, closed_case_with_records)
    groups = [entry.group for entry in case_file.entries.order_by("position")]
    assert groups.index("investigation") < groups.index("decision")
    assert groups.index("av_evidence") < groups.index("decision")


def test_the_bound_pdf_has_every_page_a_bookmark_per_entry_and_the_seal(
    closed_case_with_records, archivist_wu
) -> None:
    case_file = _assembled(archivist_wu, closed_case_with_records)
    pdf = read_blob(case_file.bound_id)
    reader = PdfReader(io.BytesIO(pdf))
    entries = list(case_file.entries.order_by("position"))
    document_pages = sum(entry.pages for entry in entries if entry.kind != EntryKind.AV)
    # Cover and catalogue (at least two pages), the documents, the 备考表.
    assert len(reader.pages) == case_file.bound_pages
    assert len(reader.pages) >= 2 + document_pages + 1
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[:2] == ["卷宗封面", "卷内目录"]
    assert titles[-1] == "备考表"
    paged = [entry for entry in entries if entry.kind != EntryKind.AV]
    assert len(titles) == 3 + len(paged)
    first_entry_page = reader.get_destination_page_number(reader.outline[2])
    last_pages = reader.get_destination_page_number(reader.outline[-1])
    assert last_pages - first_entry_page == document_pages
    # The page number 1 is stamped on the first page of the first document.
    assert "1" in (reader.pages[first_entry_page].extract_text() or "")
    cover = reader.pages[0].extract_text() or ""
    assert closed_case_with_records.number in cover
    seals = validate_pdf(pdf, trust_roots())
    # The last seal is the file's, over the whole bound PDF.
    assert seals[-1].valid and seals[-1].trusted
    assert seals[-1].intact


def test_an_open_case_has_no_file_yet(decided_case, archivist_wu, installed_seal) -> None:
    with pytest.raises(ValidationError) as refused:
        actions.assemble_case_file(archivist_wu, decided_case)
    assert refused.value.code == "state"


def test_the_archivist_reorders_annotates_and_archives(
    closed_case_with_records, archivist_wu
) -> None:
    case_file = _assembled(archivist_wu, closed_case_with_records)
    first, second = case_file.entries.order_by("position")[:2]
    actions.move_entry(archivist_wu, second, offset=-1)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (second.position, first.position) == (1, 2)
    assert second.first_page == 1
    assert first.first_page == second.pages + 1
    actions.annotate_entry(archivist_wu, first, remarks="原件存执法大队")
    actions.set_note(archivist_wu, case_file, note="本卷材料齐全。")
    case_file.refresh_from_db()
    assert case_file.bound_id is None  # bound again when archived
    archived = actions.archive_case_file(archivist_wu, case_file, retention="30y")
    year = timezone.localdate().year
    assert archived.status == CaseFileStatus.ARCHIVED
    assert archived.archive_number == f"001-{year}-D30-0001"
    closed_case_with_records.refresh_from_db()
    assert closed_case_with_records.archived_at == archived.archived_at
    reader = PdfReader(io.BytesIO(read_blob(archived.bound_id)))
    assert archived.archive_number in (reader.pages[0].extract_text() or "")
    event = AuditEvent.objects.get(action=ArchiveEvents.ARCHIVE)
    assert event.details["suggested_retention"] == "permanent"
    assert event.details["retention"] == "30y"
    with pytest.raises(ValidationError):
        actions.annotate_entry(archivist_wu, first, remarks="改")
    with pytest.raises(ValidationError):
        actions.archive_case_file(archivist_wu, archived, retention="30y")


def test_an_officer_may_assemble_but_not_review_or_archive(
    closed_case_with_records, officer_wang, archivist_wu
) -> None:
    case_file = actions.assemble_case_file(officer_wang, closed_case_with_records)
    entry = case_file.entries.first()
    with pytest.raises(AccessDenied):
        actions.archive_case_file(officer_wang, case_file, retention="permanent")
    with pytest.raises(AccessDenied):
        actions.move_entry(officer_wang, entry, offset=1)
    with pytest.raises(AccessDenied):
        actions.set_note(officer_wang, case_file, note="x")
    assert denial(ArchivePerms.ARCHIVE, actor_id=officer_wang.pk)
    case_file.refresh_from_db()
    assert not case_file.is_archived
    # The archivist may.
    actions.archive_case_file(archivist_wu, case_file, retention="permanent")


def test_an_archivist_may_not_archive_a_case_they_may_not_read(
    unit_a, officer_wang, archivist_wu, installed_seal
) -> None:
    secret = _close(
        CaseFactory(unit=unit_a, officers=[officer_wang], confidentiality="state_secret")
    )
    with pytest.raises(AccessDenied):
        actions.assemble_case_file(archivist_wu, secret)


def test_archive_numbers_are_gapless_per_year(unit_a, officer_wang, archivist_wu, installed_seal):
    files = []
    for _index in range(3):
        case = _close(CaseFactory(unit=unit_a, officers=[officer_wang]))
        files.append(actions.assemble_case_file(archivist_wu, case))
    actions.archive_case_file(archivist_wu, files[0], retention="permanent")
    # A refused archiving takes no number.
    with pytest.raises(ValidationError):
        actions.archive_case_file(archivist_wu, files[1], retention="forever")
    actions.archive_case_file(archivist_wu, files[1], retention="10y")
    actions.archive_case_file(archivist_wu, files[2], retention="30y")
    year = timezone.localdate().year
    serials = sorted(CaseFile.objects.values_list("archive_serial", flat=True))
    assert serials == [1, 2, 3]
    assert ArchiveSeries.objects.get(year=year).last_serial == 3
    # A new year starts again at 1.
    assert (
        numbering.format_number(
            "{fonds}-{year}-{retention}-{serial}",
            fonds="001",
            year=year + 1,
            retention="10y",
            serial=1,
        )
        == f"001-{year + 1}-D10-0001"
    )


def test_retention_is_chosen_by_rule_from_the_procedure(unit_a, officer_wang, sysadmin_zhao):
    ordinary = CaseFactory(unit=unit_a, procedure=Procedure.ORDINARY)
    simple = CaseFactory(unit=unit_a, procedure=Procedure.SIMPLE)
    assert numbering.suggested_retention(ordinary) == "permanent"
    assert numbering.suggested_retention(simple) == "30y"
    configuration.set_rule(sysadmin_zhao, "retention_simple", "10y", "本局档案保管期限表")
    assert numbering.suggested_retention(simple) == "10y"
    with pytest.raises(ValidationError):
        configuration.set_rule(sysadmin_zhao, "retention_simple", "permanent", "x")


def test_the_archive_number_pattern_is_configurable(sysadmin_zhao, officer_wang) -> None:
    actions.set_archive_numbering(sysadmin_zhao, fonds="J012", pattern="{fonds}·{year}·{serial}")
    assert numbering.current() == ("J012", "{fonds}·{year}·{serial}")
    with pytest.raises(ValidationError):
        actions.set_archive_numbering(sysadmin_zhao, fonds="J012", pattern="{fonds}-{year}")
    with pytest.raises(AccessDenied):
        actions.set_archive_numbering(officer_wang, fonds="J013", pattern="{year}-{serial}")
