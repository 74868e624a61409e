"""Reading an import file (XLSX or CSV, UTF-8 with or without BOM) into rows of strings
under the template's keys, with the row number people see in their spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from liuhen.cases.imports.template import BY_HEADER, COLUMNS


@dataclass(frozen=True)
class RawRow:
    number: int  # as the spreadsheet numbers it (the header is row 1)
    cells: dict[str, str]


@dataclass(frozen=True)
class ImportFile:
    name: str
    sha256: str
    rows: list[RawRow]


def read(path: Path) -> ImportFile:
    """The file's rows; a file that is not a readable template is refused whole."""
    content = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        table = _xlsx(content)
    elif suffix == ".csv":
        table = _csv(content)
    else:
        raise ValidationError(_("The import file must be an .xlsx or .csv file."))
    rows = _rows(table)
    return ImportFile(path.name, hashlib.sha256(content).hexdigest(), rows)


def _xlsx(content: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook  # heavy; only an import needs it

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise ValidationError(_("The import file is not a readable Excel workbook.")) from None
    sheet = book.worksheets[0]
    for row in sheet.iter_rows(values_only=True):
        yield list(row)


def _csv(content: bytes) -> Iterator[list[Any]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("The CSV file must be saved as UTF-8.")) from None
    yield from csv.reader(io.StringIO(text))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _rows(table: Iterator[list[Any]]) -> list[RawRow]:
    header = next(table, None)
    if header is None:
        raise ValidationError(_("The import file is empty."))
    names = [_text(cell) for cell in header]
    unknown = [name for name in names if name and name not in BY_HEADER]
    if unknown:
        raise ValidationError(
            _("Columns the template does not have: %(names)s.") % {"names": "、".join(unknown)}
        )
    missing = [c.header for c in COLUMNS if c.required and c.header not in names]
    if missing:
        raise ValidationError(
            _("Required columns are missing: %(names)s.") % {"names": "、".join(missing)}
        )
    keys = [BY_HEADER[name].key if name else "" for name in names]
    rows: list[RawRow] = []
    for number, values in enumerate(table, start=2):
        cells = {key: _text(value) for key, value in zip(keys, values, strict=False) if key}
        if any(cells.values()):
            rows.append(RawRow(number, cells))
    return rows
