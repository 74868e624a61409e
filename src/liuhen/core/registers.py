"""The register kit: a 台账 is a filtered list of records with its page, print view and
spreadsheet exports (R4.3). An app describes its register once — the columns and how a
record fills them — and the kit writes the CSV and XLSX (``core.tabular``), streamed in
chunks so memory stays flat for any number of rows. The export itself is an audited read:
``core.actions.exports.record_export``, with the register's permission and event.

    class CaseRegister(Register[Case]):
        title = _("Case register")
        file_stem = "case-register"
        permission, event, object_type = CasePerms.LIST, CaseEvents.EXPORT, "cases.case"
        columns = (Column(_("Case number"), lambda case: case.number), ...)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from django.db import models
from django.http import Http404, HttpResponseBase
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from liuhen.core import tabular
from liuhen.core.actions import exports

if TYPE_CHECKING:
    from django.http import HttpRequest

M = TypeVar("M", bound=models.Model)

EXPORT_FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Column:
    header: str | Promise
    value: Callable[[Any], Any]


def cell(value: Any) -> Any:
    """A value as a spreadsheet cell: text defused of formulas, times as local wall time
    (spreadsheets have no time zones), promises translated, nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, dt.date | int | float):
        return value
    return tabular.safe(str(value))


def local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def yes(flag: Any) -> str:
    return _("Yes") if flag else ""


# --- the filter ----------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """A register's filter as given (strings), only the recognised values kept: the page
    shows them again and the exports repeat them."""

    values: dict[str, str]

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)


def is_checked(params: Mapping[str, Any], name: str) -> bool:
    """Whether the check box (or the API flag) ``name`` is on."""
    return str(params.get(name) or "").lower() in ("1", "true", "on", "yes")


def unit_filter(params: Mapping[str, Any]) -> dict[str, str]:
    """``{"unit": id}`` when the filter names a unit, else nothing."""
    unit = str(params.get("unit") or "").strip()
    return {"unit": unit} if unit.isdigit() else {}


def date_filters(params: Mapping[str, Any]) -> dict[str, str]:
    """The well-formed ends of a date range (``date_from``, ``date_to``: local dates)."""
    values: dict[str, str] = {}
    for name in ("date_from", "date_to"):
        try:
            values[name] = dt.date.fromisoformat(str(params.get(name) or "").strip()).isoformat()
        except ValueError:
            continue
    return values


def _day_start(day: dt.date) -> dt.datetime:
    # Dates are local dates (Asia/Shanghai); the stored times are UTC.
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def within_dates(records: models.QuerySet[M], field: str, filters: Filters) -> models.QuerySet[M]:
    """``records`` whose time ``field`` falls in the filter's date range, both days included."""
    if filters.get("date_from"):
        start = _day_start(dt.date.fromisoformat(filters.get("date_from")))
        records = records.filter(**{f"{field}__gte": start})
    if filters.get("date_to"):
        end = _day_start(dt.date.fromisoformat(filters.get("date_to")) + dt.timedelta(days=1))
        records = records.filter(**{f"{field}__lt": end})
    return records


class Register(Generic[M]):
    """One register: its columns, and the exports of a filtered queryset of it."""

    title: ClassVar[str | Promise]  # the sheet's title
    file_stem: ClassVar[str]  # the export's file name, before the date
    columns: ClassVar[tuple[Column, ...]]
    permission: ClassVar[str]  # who may list, print and export it
    event: ClassVar[str]  # the audit event of an export or print
    object_type: ClassVar[str]  # the model label the event names
    chunk: ClassVar[int] = 2000

    def prepare(self, records: models.QuerySet[M]) -> models.QuerySet[M]:
        """What every row reads, loaded with the chunk (prefetches, annotations)."""
        return records

    def headers(self) -> list[str]:
        return [str(column.header) for column in self.columns]

    def rows(self, records: models.QuerySet[M]) -> Iterator[list[Any]]:
        for record in self.prepare(records).iterator(chunk_size=self.chunk):
            yield [cell(column.value(record)) for column in self.columns]

    def file_name(self) -> str:
        return f"{self.file_stem}-{timezone.localdate():%Y%m%d}"

    def record(
        self,
        actor: Any,
        *,
        filters: dict[str, Any],
        fmt: str,
        rows: int,
        request: HttpRequest | None = None,
    ) -> None:
        """An export or print of this register, audited with its filter and size (R4.3)."""
        exports.record_export(
            actor,
            permission=self.permission,
            event=self.event,
            object_type=self.object_type,
            filters=filters,
            fmt=fmt,
            rows=rows,
            request=request,
        )

    def export(
        self,
        actor: Any,
        records: models.QuerySet[M],
        *,
        filters: dict[str, Any],
        fmt: str,
        request: HttpRequest | None = None,
    ) -> HttpResponseBase:
        """The register as ``fmt`` (csv or xlsx), audited; any other format is not there."""
        if fmt not in EXPORT_FORMATS:
            raise Http404(fmt)
        self.record(actor, filters=filters, fmt=fmt, rows=records.count(), request=request)
        if fmt == "csv":
            return tabular.csv_response(self.headers(), self.rows(records), self.file_name())
        return tabular.xlsx_response(
            self.headers(), self.rows(records), self.file_name(), title=str(self.title)
        )
