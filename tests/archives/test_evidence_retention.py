"""Evidence retention follows the case file (R18.4): AV linked to an archived case is kept
as long as its file — a disposal candidate only after the file's retention has ended, and
never when it is 永久; AV of a case still worked stays kept as before."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone

from liuhen.archives import retention
from liuhen.archives.models import CaseFile, CaseFileStatus, Retention
from liuhen.cases.models import Case
from liuhen.core.blobs import store_blob
from liuhen.media.models import AvLink, AvRecord
from liuhen.media.retention import candidates as retention_rules
from tests.factories import CaseFactory

pytestmark = [pytest.mark.django_db, pytest.mark.local_dates]


def _record(officer: Any, data: bytes) -> AvRecord:
    """A record that came in long ago: its own six months have run out."""
    return AvRecord.objects.create(
        blob=store_blob(io.BytesIO(data)),
        kind="video",
        source="upload",
        original_name="clip.mp4",
        content_type="video/mp4",
        unit=officer.unit,
        officer=officer,
        uploaded_by=officer,
        uploaded_at=timezone.now() - dt.timedelta(days=400),
    )


def _archived(case: Case, archivist: Any, retention_class: str, year: int) -> CaseFile:
    case_file = CaseFile.objects.create(
        case=case,
        assembled_by=archivist,
        suggested_retention=retention_class,
        retention=retention_class,
        status=CaseFileStatus.ARCHIVED,
        archive_year=year,
        archive_serial=CaseFile.objects.count() + 1,
        archived_by=archivist,
        archived_at=timezone.now(),
    )
    Case.objects.filter(pk=case.pk).update(archived_at=timezone.now())
    return case_file


def _linked(officer: Any, case: Case, data: bytes, *, evidence: bool = True) -> AvRecord:
    record = _record(officer, data)
    AvLink.objects.create(
        record=record, case=case, kind="manual", evidence=evidence, linked_by=officer
    )
    return record


def _candidates() -> set[int]:
    return set(retention_rules.candidates().values_list("pk", flat=True))


def test_av_of_an_archived_case_is_kept_until_its_file_retention_ends(
    officer_wang, unit_a, archivist_wu
) -> None:
    year = timezone.localdate().year
    working = _linked(officer_wang, CaseFactory(unit=unit_a), b"working")
    recent_case = CaseFactory(unit=unit_a)
    recent = _linked(officer_wang, recent_case, b"recent")
    plain_recent = _linked(officer_wang, recent_case, b"plain", evidence=False)
    old_case = CaseFactory(unit=unit_a)
    old = _linked(officer_wang, old_case, b"old")
    permanent_case = CaseFactory(unit=unit_a)
    permanent = _linked(officer_wang, permanent_case, b"permanent")
    loose = _record(officer_wang, b"loose")
    _archived(recent_case, archivist_wu, Retention.YEARS_10, year)
    # Archived 11 years ago for 10 years: kept through 31 December of last year.
    ended = _archived(old_case, archivist_wu, Retention.YEARS_10, year - 11)
    _archived(permanent_case, archivist_wu, Retention.PERMANENT, year - 80)

    found = _candidates()
    assert loose.pk in found  # no case: its own six months apply
    assert old.pk in found  # the file's ten years are over
    # A case still worked keeps its evidence; an archived file keeps everything linked to
    # it, evidence or not; 永久 keeps for ever.
    assert not found & {working.pk, recent.pk, plain_recent.pk, permanent.pk}
    assert retention.kept_through(ended) == dt.date(year - 1, 12, 31)


def test_the_last_year_of_retention_still_keeps(officer_wang, unit_a, archivist_wu) -> None:
    year = timezone.localdate().year
    case = CaseFactory(unit=unit_a)
    record = _linked(officer_wang, case, b"thirty")
    case_file = _archived(case, archivist_wu, Retention.YEARS_30, year - 30)
    assert retention.kept_through(case_file) == dt.date(year, 12, 31)
    assert record.pk not in _candidates()
