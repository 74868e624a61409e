"""The "AV records" section of a subject's page (R18.3): the recordings linked to the
subject's cases or to activities where it was the party, that the viewer may see, with
their thumbnail, capture time and case. Registered by ``MediaConfig.ready()``."""

from __future__ import annotations

from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liuhen.core import access
from liuhen.media.links import current_links
from liuhen.media.models import AvRecord
from liuhen.subjects.sections import Entry, Section


def _records(user: Any, subject: Any) -> QuerySet[AvRecord]:
    about = current_links().filter(
        Q(case__parties__subject=subject)
        | Q(activity__party=subject)
        | Q(activity__case__parties__subject=subject)
    )
    first_case = about.filter(record=OuterRef("pk")).order_by("linked_at", "id")
    case_number = Subquery(first_case.annotate(number=F("case__number")).values("number")[:1])
    activity_case = Subquery(
        first_case.annotate(number=F("activity__case__number")).values("number")[:1]
    )
    return (
        access.visible(user, AvRecord.objects.filter(pk__in=about.values("record")))
        .select_related("probe", "officer")
        .annotate(case_number=case_number, activity_case_number=activity_case)
        .order_by(F("captured_at").desc(nulls_last=True), "-id")
    )


def _case_number(record: AvRecord) -> str:
    return (
        getattr(record, "case_number", None) or getattr(record, "activity_case_number", None) or ""
    )


def _entry(record: AvRecord) -> Entry:
    return Entry(
        at=record.captured_at,
        title=record.original_name,
        detail=str(record.get_kind_display()),
        url=reverse("media:record", args=[record.pk]),
        case=_case_number(record),
        facts={"officer": record.officer.display_name if record.officer else ""},
    )


SUBJECT_SECTION = Section(
    "av",
    _("AV records"),
    "media/subject_section.html",
    order=30,
    rows=_records,
    entry=_entry,
)
