"""Which case files are due to leave the bureau (R18.4; 档案法实施条例 Art. 20): those whose
retention has ended, to be appraised and destroyed (鉴定, 销毁) with the agency head's
approval, and those the county archive takes once their years have passed (移交)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, QuerySet

from liuhen.archives.models import CaseFile, CaseFileStatus, DestructionItem
from liuhen.archives.retention import ended_files
from liuhen.core import rules


def _asked_for() -> Exists:
    """In a request that is pending or was approved (a rejected one may be asked again)."""
    return Exists(
        DestructionItem.objects.filter(case_file=OuterRef("pk")).exclude(
            request__decision__approved=False
        )
    )


def destruction_candidates(today: dt.date) -> QuerySet[CaseFile]:
    """Archived files whose retention has ended, not handed over, not yet asked for."""
    return (
        ended_files(today)
        .filter(transfer__isnull=True, destruction__isnull=True)
        .exclude(_asked_for())
        .select_related("case")
        .order_by("archive_year", "archive_serial")
    )


def transfer_years() -> int:
    return int(rules.value("archive_transfer_years"))


def transfer_due(today: dt.date) -> QuerySet[CaseFile]:
    """Archived files of the classes the county archive takes whose years have passed
    (counted in whole years from 1 January after the year of archiving), not handed over
    and not destroyed."""
    return (
        CaseFile.objects.filter(
            status=CaseFileStatus.ARCHIVED,
            retention__in=list(rules.value("archive_transfer_classes")),
            archive_year__lte=today.year - transfer_years() - 1,
            transfer__isnull=True,
            destruction__isnull=True,
        )
        .select_related("case")
        .order_by("archive_year", "archive_serial")
    )
