"""The AV records linked to an activity, as its page lists them (R5.2): the activities
app's listing, registered in ``MediaConfig.ready()``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from liuhen.activities.models import Activity
from liuhen.core import access
from liuhen.media.links import current_links
from liuhen.media.models import AvRecord
from liuhen.media.registers import duration_of, format_duration


@dataclass(frozen=True)
class LinkedRecord:
    pk: int
    kind: str
    captured_at: dt.datetime | None
    duration: str
    officer: str
    # Linked before the background probe read it: shown, but not counted yet (R5.2).
    awaiting_probe: bool


def linked_records(user: Any, activity: Activity) -> list[LinkedRecord]:
    """The records linked to ``activity`` that ``user`` may see, by capture time."""
    linked = current_links().filter(activity=activity).values("record")
    records = access.visible(
        user, AvRecord.objects.filter(pk__in=linked).select_related("officer", "probe")
    ).order_by("captured_at", "pk")
    return [
        LinkedRecord(
            pk=record.pk,
            kind=record.get_kind_display(),
            captured_at=record.captured_at,
            duration=format_duration(duration_of(record)),
            officer=record.officer.display_name if record.officer else "",
            awaiting_probe=record.probe_or_none() is None,
        )
        for record in records
    ]
