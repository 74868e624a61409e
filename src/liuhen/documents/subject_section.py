"""The "Documents" section of a subject's page (R18.3): the documents issued in the
subject's cases that the viewer may see, each with its scans of the paper record and
signed copies. Registered by ``DocumentsConfig.ready()``."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liuhen.core import access
from liuhen.documents.models import DocumentFile, FilePurpose, IssuedDocument
from liuhen.subjects.sections import Entry, Section

SCANNED = (FilePurpose.SCAN, FilePurpose.SIGNED)


def _issued(user: Any, subject: Any) -> QuerySet[IssuedDocument]:
    scans = DocumentFile.objects.filter(purpose__in=SCANNED).order_by("id")
    return (
        access.visible(
            user, IssuedDocument.objects.filter(case__parties__subject=subject).distinct()
        )
        .select_related("case")
        .prefetch_related(Prefetch("files", queryset=scans, to_attr="scans"))
        .order_by("-issued_at", "-id")
    )


def _entry(issued: IssuedDocument) -> Entry:
    scans = [str(f.get_purpose_display()) for f in getattr(issued, "scans", [])]
    return Entry(
        at=issued.issued_at,
        title=f"{issued.title} {issued.number}".strip(),
        detail=" · ".join(scans),
        url=reverse("documents:issued", args=[issued.pk]),
        case=issued.case.number,
        facts={"number": issued.number, "scans": len(scans)},
    )


SUBJECT_SECTION = Section(
    "documents",
    _("Documents and scans"),
    "documents/subject_section.html",
    order=40,
    rows=_issued,
    entry=_entry,
)
