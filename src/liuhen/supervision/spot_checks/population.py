"""What a plan samples from, and what a sampled record belongs to (R22.3).

A unit's footage of the plan's period: its AV records captured in the period (the upload
time where no capture time is known), not disposed of and not found to be no recording.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from liuhen.activities.models import Activity
from liuhen.media.links import current_links
from liuhen.media.models import AvRecord

if TYPE_CHECKING:
    from liuhen.accounts.models import Unit
    from liuhen.supervision.models import SpotCheckPlan


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def population(plan: SpotCheckPlan, unit: Unit) -> list[int]:
    """The ids of ``unit``'s footage in the plan's period, ascending."""
    start, end = _local_midnight(plan.period_start), _local_midnight(plan.period_end)
    records = (
        AvRecord.objects.filter(unit=unit, disposal__isnull=True, quarantine__isnull=True)
        .annotate(when=Coalesce(F("captured_at"), F("uploaded_at")))
        .filter(when__gte=start, when__lt=end)
    )
    return sorted(records.values_list("pk", flat=True))


def linked_activity(record: AvRecord) -> Activity | None:
    """The activity the record is linked to (the earliest link in force), if any."""
    link = (
        current_links()
        .filter(record=record, activity__isnull=False)
        .select_related("activity__type", "activity__case")
        .order_by("pk")
        .first()
    )
    return link.activity if link is not None else None
