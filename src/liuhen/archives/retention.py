"""Evidence retention follows the case file (R18.4): AV records linked to an archived case
are kept as long as its file — until the file's retention ends, and for ever when it is
永久. Registered as an AV retention hold by ``ArchivesConfig.ready()``; the media app asks
it when it lists disposal candidates.

A retention period is counted in whole years from 1 January of the year after archiving
(the retention rules for archived records); a file archived in 2026 for 10 years is kept
through 31 December 2036.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from liuhen.archives.models import CaseFile, CaseFileStatus, Retention
from liuhen.cases.models import Case
from liuhen.media.models import AvLink

# The years each class keeps a file; 永久 has none.
RETENTION_YEARS = {Retention.YEARS_10: 10, Retention.YEARS_30: 30}


def kept_through(case_file: CaseFile) -> dt.date | None:
    """The last day ``case_file`` is kept; None for 永久 (or a file not archived)."""
    years = RETENTION_YEARS.get(Retention(case_file.retention)) if case_file.retention else None
    if years is None or case_file.archive_year is None:
        return None
    return dt.date(case_file.archive_year + years, 12, 31)


def ended_files(today: dt.date) -> QuerySet[CaseFile]:
    """Archived case files whose retention has ended by ``today``."""
    ended = Q()
    for retention, years in RETENTION_YEARS.items():
        ended |= Q(retention=retention, archive_year__lt=today.year - years)
    return CaseFile.objects.filter(ended, status=CaseFileStatus.ARCHIVED)


def held_cases(today: dt.date) -> QuerySet[Case]:
    """Archived cases whose file still keeps its material: every archived case but those
    whose file's retention has ended (a case archived without a file is kept)."""
    return Case.objects.filter(archived_at__isnull=False).exclude(
        pk__in=ended_files(today).values("case_id")
    )


def av_hold(today: dt.date) -> Any:
    """A filter on AV records: linked (link in force) to a case, or an activity of a case,
    that an archived file still keeps."""
    cases = held_cases(today).values("pk")
    return Exists(
        AvLink.objects.filter(record=OuterRef("pk"), unlink__isnull=True).filter(
            Q(case__in=cases) | Q(activity__case__in=cases)
        )
    )


HOLDS = {"archives.case_file": av_hold}
