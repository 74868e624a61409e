"""The case's trail 全程留痕 as a register (R1.1): its columns for the page and for the
spreadsheet and PDF exports, each row an event with the actor's name and the object's
label."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liuhen.cases import timeline
from liuhen.cases.events import CaseEvents
from liuhen.cases.perms import CasePerms
from liuhen.core.models import AuditEvent
from liuhen.core.registers import Column, Register, cell

EXPORT_FORMATS = ("csv", "xlsx", "pdf")


def _when(entry: timeline.Entry) -> str:
    return f"{timezone.localtime(entry.event.time):%Y-%m-%d %H:%M:%S}"


class TrailRegister(Register[AuditEvent]):
    title = _("Case timeline")
    file_stem = "case-timeline"
    permission, event, object_type = CasePerms.TIMELINE, CaseEvents.TIMELINE_EXPORT, "cases.case"
    chunk = 500
    columns = (
        Column(_("No."), lambda entry: entry.event.seq),
        Column(_("Time"), _when),
        Column(_("By"), lambda entry: entry.actor),
        Column(_("What"), lambda entry: str(entry.event.action_label)),
        Column(_("About"), lambda entry: entry.about),
        Column(_("Outcome"), lambda entry: str(entry.event.get_outcome_display())),
        Column(_("IP address"), lambda entry: entry.event.ip),
    )

    def rows(self, records: QuerySet[AuditEvent]) -> Iterator[list[Any]]:
        """Labels are looked up a chunk at a time: a few queries per chunk of events."""
        chunk: list[AuditEvent] = []
        for event in records.iterator(chunk_size=self.chunk):
            chunk.append(event)
            if len(chunk) == self.chunk:
                yield from self._rows(chunk)
                chunk = []
        yield from self._rows(chunk)

    def _rows(self, events: list[AuditEvent]) -> Iterator[list[Any]]:
        for entry in timeline.entries(events):
            yield [cell(column.value(entry)) for column in self.columns]


REGISTER = TrailRegister()
