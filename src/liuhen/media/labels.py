"""AV records in the trail of a case (R1.1): which records are the case's (every record
ever linked to it or to one of its activities — a withdrawn link is history too), and how
a record reads there (its kind and file name)."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from liuhen.media.models import AvLink, AvRecord


def records_of_case(case: Any) -> QuerySet[AvLink, str]:
    """The ids as text, the audit log's object id, as a subquery."""
    return (
        AvLink.objects.filter(Q(case=case) | Q(activity__case=case))
        .annotate(record_key=Cast("record_id", CharField()))
        .values_list("record_key", flat=True)
    )


def record_labels(ids: list[str]) -> dict[str, str]:
    wanted = [int(i) for i in ids if str(i).isdigit()]
    return {
        str(record.pk): f"{record.get_kind_display()} {record.original_name}"
        for record in AvRecord.objects.filter(pk__in=wanted).only("pk", "kind", "original_name")
    }


TRAIL_RECORDS = {"media.avrecord": records_of_case}
LABELS = {"media.avrecord": record_labels}
