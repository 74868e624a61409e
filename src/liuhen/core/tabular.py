"""Registers as spreadsheets: streamed CSV (UTF-8 with a BOM, so Excel reads Chinese)
and XLSX (openpyxl, write-only), with spreadsheet formula injection defused.

openpyxl is imported when a workbook is written: every register view imports this module,
and only the XLSX download needs it.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import FileResponse, StreamingHttpResponse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe(value: str) -> str:
    """A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def csv_lines(header: list[str], body: Iterable[list[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # The BOM makes Excel read the file as UTF-8 (Chinese text intact).
    yield "\ufeff" + writer.writerow(header)
    for row in body:
        yield writer.writerow([_csv_cell(value) for value in row])


def csv_response(
    header: list[str], body: Iterable[list[Any]], filename: str
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_lines(header, body), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _xlsx_cell(value: Any, illegal: re.Pattern[str]) -> Any:
    # XML 1.0 cannot hold most C0 control characters: shown as U+FFFD, the rest kept.
    return illegal.sub("\ufffd", value) if isinstance(value, str) else value


def xlsx_response(
    header: list[str], body: Iterable[list[Any]], filename: str, *, title: str
) -> FileResponse:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title)
    sheet.append(header)
    for row in body:
        sheet.append([_xlsx_cell(value, ILLEGAL_CHARACTERS_RE) for value in row])
    # Closed by FileResponse once sent; deleted by the OS on close.
    spool = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_TYPE
    )
