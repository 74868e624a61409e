"""The case file bound as one PDF (R18.1, R18.2): cover and catalogue 卷内目录, every
document and scan in catalogue order with page numbers running through, the archivist's
note 备考表, a bookmark per entry, sealed with the bureau's seal as issued documents are.

Rendering and sealing are slow and write nothing: the actions call :func:`bind` outside
their transaction.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.template import Context, Engine
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PdfReader, PdfWriter

from liuhen.archives.models import CaseFile, CaseFileEntry, EntryKind, Retention
from liuhen.cases.models import PenaltyKind
from liuhen.documents.files import read_blob
from liuhen.documents.printing.pdf import render_bound_pages_pdf
from liuhen.documents.seal.certificate import active_seal, seal_credentials
from liuhen.documents.seal.sealing import seal_pdf
from liuhen.subjects.models import CaseParty, PartyRole

# Printed pages are the bureau's Chinese record whatever the reader's language: a private
# engine, like the printed forms', so no site template setting reaches them.
_ENGINE = Engine(dirs=[str(Path(__file__).resolve().parent / "print_templates")], autoescape=True)
SEAL_FIELD = "CaseFileSeal"
# The visible seal on the cover, lower right (PDF points from the lower-left corner, A4).
_COVER_SEAL_BOX = (0, 380.0, 80.0, 520.0, 220.0)


@dataclass(frozen=True)
class Bound:
    pdf: bytes
    pages: int


def _party(case_file: CaseFile) -> str:
    links = CaseParty.objects.filter(case=case_file.case, role=PartyRole.PARTY).select_related(
        "subject"
    )
    return "、".join(link.subject.name for link in links.order_by("created_at", "id"))


def _result(case_file: CaseFile) -> str:
    case = case_file.case
    decision = getattr(case, "decision", None)
    parts = []
    if decision is not None:
        labels = dict(PenaltyKind.choices)
        parts = [str(labels.get(kind, kind)) for kind in decision.penalty_kinds]
        if decision.fine_fen:
            parts.append(f"罚款{decision.fine_fen // 100}元")
    if case.closing_condition:
        parts.append(str(case.get_closing_condition_display()))
    return "；".join(parts)


def _local(value: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(value) if value is not None else None


def _context(case_file: CaseFile, entries: list[CaseFileEntry]) -> dict[str, Any]:
    case = case_file.case
    retention = dict(Retention.choices).get(case_file.retention, "")
    return {
        "bureau": str(case.unit.bureau.name),
        "case": case,
        "archive_number": case_file.archive_number,
        "party": _party(case_file),
        "cause": case.title,
        "result": _result(case_file),
        "officers": "、".join(o.full_name or o.username for o in case.officers.all()),
        "opened_on": _local(case.opened_at),
        "closed_on": _local(case.closed_at),
        "archived_on": _local(case_file.archived_at),
        "retention": str(retention),
        "entries": entries,
        "entry_count": len(entries),
        "page_count": sum(entry.pages for entry in entries if entry.kind != EntryKind.AV),
        "av_count": sum(1 for entry in entries if entry.kind == EntryKind.AV),
        "note": case_file.note,
        "assembled_by": case_file.assembled_by.full_name or case_file.assembled_by.username,
        "assembled_on": _local(case_file.assembled_at),
        "archived_by": (
            (case_file.archived_by.full_name or case_file.archived_by.username)
            if case_file.archived_by
            else ""
        ),
    }


def _render(template: str, context: dict[str, Any]) -> tuple[bytes, int]:
    html = _ENGINE.get_template(f"archives/{template}").render(Context(context))
    return render_bound_pages_pdf(html)


def _entry_pdf(entry: CaseFileEntry) -> bytes:
    file = entry.document_file
    if file is None:
        raise ValueError(f"entry {entry.pk} has no file")
    content = read_blob(file.blob_id)
    if file.content_type == "application/pdf":
        return content
    # A scan as an image: one page of its own.
    out = io.BytesIO()
    Image.open(io.BytesIO(content)).convert("RGB").save(out, format="PDF")
    return out.getvalue()


def _stamp_numbers(writer: PdfWriter, first_index: int, count: int) -> None:
    """Page numbers 1…count on the entries' pages, top right (the file's own pagination)."""
    if not count:
        return
    numbers, _pages = _render("page_numbers.html", {"numbers": range(1, count + 1)})
    overlay = PdfReader(io.BytesIO(numbers))
    for offset in range(count):
        writer.pages[first_index + offset].merge_page(overlay.pages[offset])


def bind(case_file: CaseFile, entries: list[CaseFileEntry]) -> Bound:
    """The sealed PDF of ``case_file`` with ``entries`` (their pages numbered already)."""
    context = _context(case_file, entries)
    front, front_pages = _render("cover.html", context)
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(front)), import_outline=False)
    writer.add_outline_item(title="卷宗封面", page_number=0)
    writer.add_outline_item(title="卷内目录", page_number=min(1, front_pages - 1))
    first_entry_page = len(writer.pages)
    for entry in entries:
        if entry.kind == EntryKind.AV or entry.document_file is None:
            continue
        start = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(_entry_pdf(entry))), import_outline=False)
        label = f"{entry.position}. {entry.title}" + (f"（{entry.number}）" if entry.number else "")
        writer.add_outline_item(title=label, page_number=start)
    _stamp_numbers(writer, first_entry_page, len(writer.pages) - first_entry_page)
    note, _note_pages = _render("note.html", context)
    note_start = len(writer.pages)
    writer.append(PdfReader(io.BytesIO(note)), import_outline=False)
    writer.add_outline_item(title="备考表", page_number=note_start)
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    pages = len(writer.pages)
    return Bound(pdf=_seal(out.getvalue(), case_file), pages=pages)


def _seal(pdf: bytes, case_file: CaseFile) -> bytes:
    row = active_seal()
    if row is None:
        raise ValidationError(
            _(
                "No seal certificate is installed: the security administrator must install "
                "the bureau's seal before a case file can be bound (basis: the recording "
                "rules, Art. 18)."
            ),
            code="no_seal",
        )
    return seal_pdf(
        pdf,
        seal_credentials(row),
        box=_COVER_SEAL_BOX,
        field_name=SEAL_FIELD,
        reason=f"案卷 {case_file.case.number}",
        location=str(case_file.case.unit.bureau.name),
    )
