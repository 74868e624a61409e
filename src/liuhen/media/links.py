"""Which AV records are linked to what, and what they might belong to (R16.1).

A link counts until it is withdrawn. A record's *suggestions* are the activities its
officer was present at around the time it was captured: device → officer (the checkout
ledger at the capture time) → activity (officer present, time overlap). A suggestion is
only shown; it becomes a link when the officer or the custodian confirms it
(:mod:`liuhen.media.actions.curation`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet

from liuhen.accounts.models import User
from liuhen.activities.models import Activity
from liuhen.core import access
from liuhen.devices.ledger import who_had
from liuhen.media.models import AvLabel, AvLink, AvMark, AvRecord

# A recorder is switched on a little before the officers' recorded start of an activity
# and off a little after its end, and recorder clocks drift: a capture this close to an
# activity still suggests it.
SUGGESTION_SLACK = dt.timedelta(minutes=30)
# The manual link form lists the officer's activities this close to the capture time.
NEARBY_WINDOW = dt.timedelta(days=3)
NEARBY_LIMIT = 20


def current_links() -> QuerySet[AvLink]:
    """Links not withdrawn, of records not disposed of and not quarantined (a file that
    is no recording never counts as one, R5.2)."""
    return AvLink.objects.filter(
        unlink__isnull=True, record__disposal__isnull=True, record__quarantine__isnull=True
    )


def counted_links() -> QuerySet[AvLink]:
    """Current links of records the probe has found to be recordings: only these lift the
    missing-AV block (R5.2). A record is linked as soon as it is in, often before the
    background probe has read it; until then it could be anything renamed ``.mp4``, so it
    waits to count, and a file the probe quarantines never starts."""
    return current_links().filter(record__probe__isnull=False)


def linked_count(activity: Activity) -> int:
    """The probed AV records linked to ``activity`` (the activities app's counter, R5.2)."""
    return counted_links().filter(activity=activity).values("record").distinct().count()


def links_of(record: AvRecord) -> QuerySet[AvLink]:
    """Every link of ``record``, withdrawn ones too (the history), oldest first."""
    return AvLink.objects.filter(record=record).select_related(
        "activity__type", "activity__case", "case", "linked_by", "unlink__by"
    )


def is_withdrawn(link: AvLink) -> bool:
    try:
        return link.unlink is not None
    except ObjectDoesNotExist:
        return False


def current_label(record: AvRecord) -> AvLabel | None:
    return AvLabel.objects.filter(record=record).order_by("-at", "-id").first()


def is_important(record: AvRecord) -> bool:
    mark = AvMark.objects.filter(record=record).order_by("-at", "-id").first()
    return bool(mark and mark.important)


def record_officer(record: AvRecord) -> User | None:
    """Who made the recording: the record says, else the ledger at the capture time."""
    if record.officer_id is not None:
        return record.officer
    when = capture_time(record)
    if record.device_id is None or when is None:
        return None
    return who_had(record.device_id, when)


def capture_time(record: AvRecord) -> dt.datetime | None:
    """When it was captured: the record says (file name, recorder), else the file itself."""
    if record.captured_at is not None:
        return record.captured_at
    probe = record.probe_or_none()
    return probe.created if probe is not None else None


def _duration(record: AvRecord) -> dt.timedelta:
    probe = record.probe_or_none()
    seconds = probe.duration if probe is not None and probe.duration else 0
    return dt.timedelta(seconds=max(0.0, float(seconds)))


def _linked_activities(record: AvRecord) -> QuerySet[AvLink, Any]:
    # Not NULL: "NOT IN" a list holding a NULL would exclude every activity.
    return current_links().filter(record=record, activity__isnull=False).values("activity_id")


@dataclass(frozen=True)
class Suggestion:
    """An activity the record probably belongs to."""

    activity: Activity
    overlap: dt.timedelta  # of the recording with the activity itself (no slack)
    distance: dt.timedelta  # from the capture time to the activity; zero inside it

    @property
    def case(self) -> Any:
        return self.activity.case


def _overlap(start: dt.datetime, end: dt.datetime, activity: Activity) -> dt.timedelta:
    return max(dt.timedelta(0), min(end, activity.ended_at) - max(start, activity.started_at))


def _distance(moment: dt.datetime, activity: Activity) -> dt.timedelta:
    if moment < activity.started_at:
        return activity.started_at - moment
    if moment > activity.ended_at:
        return moment - activity.ended_at
    return dt.timedelta(0)


def suggestions(record: AvRecord, *, user: Any = None) -> list[Suggestion]:
    """R16.1: the activities the record's officer was present at when it was captured
    (within :data:`SUGGESTION_SLACK`), best overlap first; not those already linked.

    With ``user``, only activities that user may see are suggested.
    """
    officer = record_officer(record)
    start = capture_time(record)
    if officer is None or start is None:
        return []
    end = start + _duration(record)
    candidates = Activity.objects.filter(
        presences__officer=officer,
        started_at__lte=end + SUGGESTION_SLACK,
        ended_at__gte=start - SUGGESTION_SLACK,
    ).exclude(pk__in=_linked_activities(record))
    if user is not None:
        candidates = access.visible(user, candidates)
    found = [
        Suggestion(activity, _overlap(start, end, activity), _distance(start, activity))
        for activity in candidates.select_related("type", "case").distinct()
    ]
    return sorted(found, key=lambda s: (-s.overlap, s.distance, s.activity.started_at))


def nearby_activities(record: AvRecord, user: Any) -> list[Activity]:
    """For the manual link: activities ``user`` may see, of the record's officer (or the
    user's own) within :data:`NEARBY_WINDOW` of the capture (or upload) time, closest
    first; not those already linked."""
    officer = record_officer(record) or user
    moment = capture_time(record) or record.uploaded_at
    candidates = access.visible(
        user,
        Activity.objects.filter(
            presences__officer=officer,
            started_at__lte=moment + NEARBY_WINDOW,
            ended_at__gte=moment - NEARBY_WINDOW,
        ).exclude(pk__in=_linked_activities(record)),
    )
    found = list(candidates.select_related("type", "case").distinct()[:200])
    found.sort(key=lambda activity: (_distance(moment, activity), activity.pk))
    return found[:NEARBY_LIMIT]
