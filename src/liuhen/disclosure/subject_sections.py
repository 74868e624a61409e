"""The "Publications" section of a subject's page (R18.3): each publication, withdrawal or
correction of a decision in one of the subject's cases. What was published is public,
so the staff-page rule (publishers only) does not narrow it here: whoever may read the
case sees what the public reads about it. Registered by ``DisclosureConfig.ready()``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liuhen.cases.models import Case
from liuhen.core import access
from liuhen.disclosure.models import Publication
from liuhen.subjects.sections import Entry, Section


def _publications(user: Any, subject: Any) -> QuerySet[Publication]:
    cases = access.visible(user, Case.objects.filter(parties__subject=subject))
    return (
        Publication.objects.filter(case__in=cases.values("pk"))
        .select_related("case")
        .order_by("-published_at", "-id")
    )


def _entry(row: Publication) -> Entry:
    return Entry(
        at=row.published_at,
        title=f"{row.get_kind_display()} {row.decision_number}",
        detail=row.penalty,
        url=reverse("portal:disclosure_publication", args=[row.pk]),
        case=row.case.number,
        facts={
            "kind": str(row.get_kind_display()),
            "decision_number": row.decision_number,
            "penalty": row.penalty,
            "due": row.due.isoformat(),
        },
    )


SUBJECT_SECTION = Section(
    "publications",
    _("Publications"),
    "disclosure/subject_publications.html",
    order=80,
    rows=_publications,
    entry=_entry,
)
