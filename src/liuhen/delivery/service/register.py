"""The delivery register 送达台账 (R10.1, R10.2): one filter for the page and the exports
(the register kit, ``core.registers``).

Rows are the service records of the cases the user may see (``access.visible``). Whether a
row's decision was served late is worked out in Python (working days), for a page in one
query however many rows it has; the "overdue" filter does the same over the filtered set.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from liuhen.accounts.models import Unit
from liuhen.cases.models import Case
from liuhen.core import access
from liuhen.core.registers import (
    Column,
    Filters,
    Register,
    cell,
    date_filters,
    is_checked,
    unit_filter,
    within_dates,
    yes,
)
from liuhen.delivery.events import ServiceEvents
from liuhen.delivery.models import ServiceMode, ServiceRecord
from liuhen.delivery.perms import ServicePerms
from liuhen.delivery.service import clock
from liuhen.documents.models import IssuedDocument

PAGE_SIZE = 50


def parse(params: Mapping[str, Any]) -> Filters:
    values = unit_filter(params)
    mode = str(params.get("mode") or "")
    if mode in ServiceMode.values:
        values["mode"] = mode
    values.update(date_filters(params))
    if is_checked(params, "overdue"):
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
    records = within_dates(records, "served_at", filters)
    if filters.get("overdue"):
        documents = IssuedDocument.objects.filter(pk__in=records.values("issued_id"))
        records = records.filter(issued_id__in=clock.overdue_ids(documents))
    return records, filters


def overdue_among(records: list[ServiceRecord]) -> set[int]:
    """The ids of the documents of ``records`` that were (or are) served late."""
    ids = {record.issued_id for record in records}
    return clock.overdue_ids(IssuedDocument.objects.filter(pk__in=ids)) if ids else set()


@dataclass(frozen=True)
class Row:
    record: ServiceRecord
    overdue: bool


def rows_of(records: list[ServiceRecord]) -> list[Row]:
    late = overdue_among(records)
    return [Row(record, record.issued_id in late) for record in records]


def units_of(user: Any) -> QuerySet[Unit]:
    """The units of the cases ``user`` may see, for the register's filter."""
    visible_cases = access.visible(user, Case.objects.all()).values("unit_id")
    return Unit.objects.filter(pk__in=visible_cases).order_by("name")


def _served_on(record: ServiceRecord) -> Any:
    return record.served_on if record.served_on else _("Not served")


class DeliveryRegister(Register[ServiceRecord]):
    title = _("Delivery register")
    file_stem = "delivery-register"
    permission = ServicePerms.LIST
    event = ServiceEvents.EXPORT
    object_type = "delivery.servicerecord"
    columns = (
        Column(_("Case number"), lambda record: record.case.number),
        Column(_("Document"), lambda record: record.issued.title),
        Column(_("Document number"), lambda record: record.issued.number),
        Column(_("Mode of service"), lambda record: record.get_mode_display()),
        Column(_("Recipient"), lambda record: record.recipient),
        Column(_("Served at"), lambda record: record.served_at),
        Column(_("Service takes effect on"), _served_on),
        Column(_("Service overdue"), lambda record: yes(record.service_overdue)),
    )

    def rows(self, records: QuerySet[ServiceRecord]) -> Iterator[list[Any]]:
        """Each row with whether its document was served late, worked out once for all."""
        late = clock.overdue_ids(IssuedDocument.objects.filter(pk__in=records.values("issued_id")))
        for record in self.prepare(records).iterator(chunk_size=self.chunk):
            record.service_overdue = record.issued_id in late  # type: ignore[attr-defined]
            yield [cell(column.value(record)) for column in self.columns]


REGISTER = DeliveryRegister()
