"""Retention of AV records (R18.4): which records have served their period and may go.

Raw AV is kept at least ``rules.value("av_raw_retention_months")`` months (不少于六个月: 6 by
default, and the rule's floor of 6 cannot be lowered), counted in calendar months from the
day after the **later** of the upload and the capture time (民法典 Art. 201, 202: the start
day is not counted; the period ends on the corresponding day, or the month's last day where
there is none) — in practice the upload: the bureau must hold the material for the
whole period, so an old capture time (third-party footage obtained years later, a
recorder with a wrong clock) never shortens it.

A record is a disposal **candidate** when its period has run out and it is not disposed
of, not in a request awaiting decision, not marked important (its latest ``AvMark``), not
linked as evidence to a case not yet archived (a current ``AvLink`` with ``evidence``, to
the case or to an activity of the case), and no retention hold keeps it
(``registry.av_retention_holds``): a record linked to an archived case inherits the
retention of its case file, which the archives app answers — kept until the file's
retention ends, and for ever when it is 永久.

The custodian asks and the agency head decides in ``media.actions.retention``; the bytes
of disposed records go in :mod:`liuhen.media.retention.removal`.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from liuhen.core import blob_refs, calendar, registry, rules
from liuhen.media.models import (
    AvDisposal,
    AvLink,
    AvMark,
    AvProbe,
    AvRecord,
    DisposalItem,
)

RECORD_LABEL = "media.avrecord"


# --- which records may go --------------------------------------------------------------


def retention_months() -> int:
    return int(rules.value("av_raw_retention_months"))


def last_day_kept(came_in: dt.date) -> dt.date:
    """The last day a record that came in on ``came_in`` (local date) is kept."""
    return calendar.add_months(came_in, retention_months(), roll_forward=False)


def retention_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """Records that came in before this moment have served their retention: the start
    (local midnight) of the first day whose records are still kept today."""
    today = timezone.localdate(now or timezone.now())
    # Six months are 181–184 days: start a little before and find the first day still kept.
    day = today - dt.timedelta(days=31 * retention_months() + 1)
    while last_day_kept(day) < today:
        day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def past_retention(now: dt.datetime | None = None) -> QuerySet[AvRecord]:
    """Records whose retention has run out and that nothing keeps (pending requests
    included): not disposed of, not marked important, not evidence in a case."""
    cutoff = retention_cutoff(now)
    latest_mark = (
        AvMark.objects.filter(record=OuterRef("pk")).order_by("-at", "-id").values("important")[:1]
    )
    # R18.4: evidence in a case still worked is kept; once the case is archived its file's
    # retention keeps it (the holds below).
    evidence = AvLink.objects.filter(
        record=OuterRef("pk"), unlink__isnull=True, evidence=True
    ).filter(
        Q(case__isnull=False, case__archived_at__isnull=True)
        | Q(activity__case__isnull=False, activity__case__archived_at__isnull=True)
    )
    today = timezone.localdate(now or timezone.now())
    records = (
        AvRecord.objects.filter(uploaded_at__lt=cutoff)
        .filter(Q(captured_at__isnull=True) | Q(captured_at__lt=cutoff))
        .filter(~Exists(AvDisposal.objects.filter(record=OuterRef("pk"))))
        .annotate(marked_important=Subquery(latest_mark, output_field=BooleanField()))
        .filter(Q(marked_important__isnull=True) | Q(marked_important=False))
        .filter(~Exists(evidence))
    )
    for hold in registry.av_retention_holds.values():
        records = records.filter(~hold(today))
    return records


def candidates(now: dt.datetime | None = None) -> QuerySet[AvRecord]:
    """Disposal candidates: past retention and not already asked for; oldest first."""
    pending = DisposalItem.objects.filter(record=OuterRef("pk"), request__decision__isnull=True)
    return past_retention(now).filter(~Exists(pending)).order_by("uploaded_at", "pk")


def references_blob(sha256: str, releasing: blob_refs.Releasing) -> bool:
    """The media app's blob references: a record not disposed of, or its thumbnail."""
    live = AvRecord.objects.filter(~Exists(AvDisposal.objects.filter(record=OuterRef("pk"))))
    gone = releasing.get(RECORD_LABEL, ())
    if gone:
        live = live.exclude(pk__in=list(gone))
    if live.filter(blob_id=sha256).exists():
        return True
    return AvProbe.objects.filter(thumbnail_id=sha256, record__in=live).exists()
