"""The subject's file as files (R18.3): a PDF summary through the shared print pipeline
(``registry.pdf_renderers["html"]``) and a workbook with a sheet per section. What goes
in is what :func:`liuhen.subjects.actions.export_file` read and audited."""

from __future__ import annotations

import datetime as dt
import tempfile
from typing import Any

from django.http import FileResponse, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.core import registry, tabular
from liuhen.subjects.models import Subject
from liuhen.subjects.sections import Entry, Section

Found = list[tuple[Section, list[Entry]]]


def file_name(subject: Subject) -> str:
    return f"subject-{subject.pk}-{timezone.localdate():%Y%m%d}"


def headers() -> list[str]:
    return [_("Time"), _("Item"), _("Details"), _("Case number")]


def _local(moment: dt.datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def row(entry: Entry) -> list[Any]:
    return [_local(entry.at), entry.title, entry.detail, entry.case]


def _cell(value: Any) -> Any:
    # Defused like the registers' exports: no formulas, no characters XML cannot hold.
    if not isinstance(value, str):
        return value
    # openpyxl loads where a workbook is written, not with the URL configuration.
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", tabular.safe(value))


def xlsx_response(subject: Subject, found: Found) -> FileResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet(title=_("Summary"))
    summary.append([_("Enforcement subject"), _cell(subject.name)])
    summary.append([_("Kind"), str(subject.get_kind_display())])
    summary.append([_("Identifier"), subject.identifier_label])
    for section, entries in found:
        summary.append([str(section.title), len(entries)])
    for section, entries in found:
        sheet = workbook.create_sheet(title=str(section.title)[:31])
        sheet.append(headers())
        for entry in entries:
            sheet.append([_cell(value) for value in row(entry)])
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse once sent
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"{file_name(subject)}.xlsx",
        content_type=tabular.XLSX_TYPE,
    )


def pdf_response(subject: Subject, found: Found) -> HttpResponse:
    html = render_to_string(
        "subjects/file_print.html",
        {
            "subject": subject,
            "headers": headers(),
            "sections": [(section, [row(e) for e in entries]) for section, entries in found],
            "printed_at": timezone.localtime(),
        },
    )
    response = HttpResponse(registry.pdf_renderers["html"](html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{file_name(subject)}.pdf"'
    return response
