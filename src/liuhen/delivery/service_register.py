"""The delivery register 送达台账 (R10.1, R10.2): one filter for the page and the exports.

Rows are the service records of the cases the user may see (``access.visible``). Whether a
row's decision was served late is worked out in Python (working days), for a page in one
query however many rows it has; the "overdue" filter does the same over the filtered set.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.core import access, audit, tabular
from liuhen.core.tabular import safe
from liuhen.delivery import actions
from liuhen.delivery.events import ServiceEvents
from liuhen.delivery.models import ServiceMode, ServiceRecord
from liuhen.delivery.perms import ServicePerms
from liuhen.documents.models import IssuedDocument

PAGE_SIZE = 50
CHUNK = 2000


@dataclass(frozen=True)
class Filters:
    """The register's filter as given (strings), only the recognised values kept."""

    values: dict[str, str]

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


def _day_start(day: dt.date) -> dt.datetime:
    # Dates are local dates (Asia/Shanghai); the stored times are UTC.
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def parse(params: Mapping[str, Any]) -> Filters:
    values: dict[str, str] = {}
    unit = str(params.get("unit") or "").strip()
    if unit.isdigit():
        values["unit"] = unit
    mode = str(params.get("mode") or "")
    if mode in ServiceMode.values:
        values["mode"] = mode
    for name in ("date_from", "date_to"):
        day = _date(str(params.get(name) or ""))
        if day is not None:
            values[name] = day.isoformat()
    if str(params.get("overdue") or "").lower() in ("1", "true", "on", "yes"):
        values["overdue"] = "1"
    return Filters(values)


def visible(user: Any) -> QuerySet[ServiceRecord]:
    records = ServiceRecord.objects.select_related("issued", "case", "case__unit")
    return access.visible(user, records).order_by("-served_at", "-id")


def filtered(user: Any, params: Mapping[str, Any]) -> tuple[QuerySet[ServiceRecord], Filters]:
    filters = parse(params)
    records = visible(user)
    if filters.get("unit"):
        records = records.filter(case__unit_id=int(filters.get("unit")))
    if filters.get("mode"):
        records = records.filter(mode=filters.get("mode"))
    if filters.get("date_from"):
        start = _day_start(dt.date.fromisoformat(filters.get("date_from")))
        records = records.filter(served_at__gte=start)
    if filters.get("date_to"):
        end = _day_start(dt.date.fromisoformat(filters.get("date_to")) + dt.timedelta(days=1))
        records = records.filter(served_at__lt=end)
    if filters.get("overdue"):
        documents = IssuedDocument.objects.filter(pk__in=records.values("issued_id"))
        records = records.filter(issued_id__in=actions.overdue_ids(documents))
    return records, filters


def overdue_among(records: list[ServiceRecord]) -> set[int]:
    """The ids of the documents of ``records`` that were (or are) served late."""
    ids = {record.issued_id for record in records}
    return actions.overdue_ids(IssuedDocument.objects.filter(pk__in=ids)) if ids else set()


@dataclass(frozen=True)
class Row:
    record: ServiceRecord
    overdue: bool


def rows_of(records: list[ServiceRecord]) -> list[Row]:
    late = overdue_among(records)
    return [Row(record, record.issued_id in late) for record in records]


# --- exports ---------------------------------------------------------------------------


def headers() -> list[str]:
    return [
        _("Case number"),
        _("Document"),
        _("Document number"),
        _("Mode of service"),
        _("Recipient"),
        _("Served at"),
        _("Service takes effect on"),
        _("Service overdue"),
    ]


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    # Local wall time without a zone: spreadsheets have no time zones.
    return timezone.localtime(moment).replace(tzinfo=None) if moment is not None else None


def export_rows(records: QuerySet[ServiceRecord]) -> Iterator[list[Any]]:
    late = actions.overdue_ids(IssuedDocument.objects.filter(pk__in=records.values("issued_id")))
    labels = dict(ServiceMode.choices)
    for record in records.iterator(chunk_size=CHUNK):
        yield [
            safe(record.case.number),
            safe(record.issued.title),
            safe(record.issued.number),
            str(labels.get(record.mode, record.mode)),
            safe(record.recipient),
            _local(record.served_at),
            record.served_on if record.served_on else _("Not served"),
            _("Yes") if record.issued_id in late else "",
        ]


def export_name() -> str:
    return f"delivery-register-{timezone.localdate():%Y%m%d}"


def csv_response(records: QuerySet[ServiceRecord]) -> StreamingHttpResponse:
    return tabular.csv_response(headers(), export_rows(records), export_name())


def xlsx_response(records: QuerySet[ServiceRecord]) -> FileResponse:
    return tabular.xlsx_response(
        headers(), export_rows(records), export_name(), title=_("Delivery register")
    )


def record_export(
    actor: Any, *, filters: Filters, fmt: str, rows: int, request: HttpRequest | None = None
) -> None:
    """An export of the register is logged with its filter and size."""
    access.require(actor, ServicePerms.LIST, request=request)
    with transaction.atomic():
        audit.record(
            ServiceEvents.EXPORT,
            actor=actor,
            request=request,
            object_type="delivery.servicerecord",
            details={"filters": filters.values, "format": fmt, "rows": rows},
        )
