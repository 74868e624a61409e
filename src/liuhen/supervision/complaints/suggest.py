"""Which footage a complaint concerns (R22.4): AV records captured within the time the
complaint names (widened by ``complaint_footage_margin_minutes``), ranked by whether a
named officer made them — the record's officer or uploader, or the recorder's checkout at
the capture time — and whether an activity they are linked to took place where the complaint says.
The supervisor confirms the ones that apply (``actions.complaints.confirm_footage``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from liuhen.core import access, rules
from liuhen.devices.models import EntryKind, LedgerEntry
from liuhen.media.models import AvLink, AvRecord

if TYPE_CHECKING:
    from liuhen.supervision.models import Complaint

# A clip that began this long before the time named may still run into it.
LONGEST_CLIP = dt.timedelta(hours=4)
SHOWN = 50


@dataclass
class Suggestion:
    record: AvRecord
    reasons: list[str] = field(default_factory=list)  # "officer", "place", "unit"

    @property
    def score(self) -> int:
        return len(self.reasons)


def _window(complaint: Complaint) -> tuple[dt.datetime, dt.datetime]:
    margin = dt.timedelta(minutes=int(rules.value("complaint_footage_margin_minutes")))
    return complaint.occurred_from - margin, complaint.occurred_to + margin


def _ends(record: AvRecord) -> dt.datetime:
    assert record.captured_at is not None
    probe = record.probe_or_none()
    seconds = probe.duration if probe is not None and probe.duration else 0
    return record.captured_at + dt.timedelta(seconds=seconds)


def _held_by(officer_ids: set[int], record: AvRecord) -> bool:
    """The recorder was checked out to a named officer when the record was made."""
    if record.device_id is None or not officer_ids:
        return False
    checkout = (
        LedgerEntry.objects.filter(
            device_id=record.device_id, kind=EntryKind.CHECKOUT, at__lte=record.captured_at
        )
        .order_by("-at", "-id")
        .first()
    )
    if checkout is None or checkout.holder_id not in officer_ids:
        return False
    return not checkout.returns.filter(at__lt=record.captured_at).exists()


def _named(officer_ids: set[int], record: AvRecord) -> bool:
    """A named officer made it: the record's officer, its uploader (officers bring in
    their own recordings) or the holder of the recorder at the capture time."""
    if record.officer_id in officer_ids or record.uploaded_by_id in officer_ids:
        return True
    return _held_by(officer_ids, record)


def _places(record_ids: list[int]) -> dict[int, list[str]]:
    places: dict[int, list[str]] = {}
    links = AvLink.objects.filter(
        record_id__in=record_ids, activity__isnull=False, unlink__isnull=True
    ).values_list("record_id", "activity__place")
    for record_id, place in links:
        places.setdefault(record_id, []).append(place)
    return places


def _same_place(named: str, places: list[str]) -> bool:
    named = named.strip()
    return bool(named) and any(named in place or (place and place in named) for place in places)


def suggest(user: Any, complaint: Complaint) -> list[Suggestion]:
    """The footage ``user`` may see that the complaint may concern, best first; records
    linked to it already are left out."""
    start, end = _window(complaint)
    officer_ids = set(complaint.officers.values_list("pk", flat=True))
    records = access.visible(
        user,
        AvRecord.objects.filter(
            captured_at__gte=start - LONGEST_CLIP,
            captured_at__lte=end,
            quarantine__isnull=True,
        )
        .exclude(pk__in=complaint.footage.values("record_id"))
        .select_related("officer", "unit", "device", "probe"),
    ).order_by("captured_at", "id")
    candidates = [record for record in records[: SHOWN * 4] if _ends(record) >= start]
    places = _places([record.pk for record in candidates])
    found: list[Suggestion] = []
    for record in candidates:
        suggestion = Suggestion(record)
        if _named(officer_ids, record):
            suggestion.reasons.append("officer")
        if _same_place(complaint.place, places.get(record.pk, [])):
            suggestion.reasons.append("place")
        if complaint.unit_id is not None and record.unit_id == complaint.unit_id:
            suggestion.reasons.append("unit")
        if suggestion.reasons:
            found.append(suggestion)
    found.sort(key=lambda s: (-s.score, s.record.captured_at))
    return found[:SHOWN]
