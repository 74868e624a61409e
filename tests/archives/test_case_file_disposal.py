"""Case files leave the bureau only by the law's two roads (R18.4; 档案法实施条例 Art. 20):
destruction after retention (鉴定 by the archivist, approval by the agency head — never the
one who asked — the bound PDF and packages removed after commit, the 销毁清册 kept), and
hand-over to the county archive of the files it takes once their years have passed.
Each access rule is tested both ways."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from liuhen.accounts.models import Role
from liuhen.archives import disposal
from liuhen.archives.actions import disposal as actions
from liuhen.archives.actions.case_file import open_bound_pdf
from liuhen.archives.models import (
    ArchivePackage,
    CaseFile,
    CaseFileDestruction,
    CaseFileStatus,
    Retention,
)
from liuhen.cases.models import Case
from liuhen.core.blobs import BlobNotFound, get_store, store_blob
from liuhen.core.models import AuditEvent, BlobRemoval, Outcome
from liuhen.media.models import AvLink, AvRecord
from liuhen.media.retention import candidates as av_candidates
from tests.factories import CaseFactory
from tests.fixtures.personas import make_person

pytestmark = [pytest.mark.django_db, pytest.mark.local_dates]

THIS_YEAR = timezone.localdate().year


def _archived(case: Case, archivist: Any, retention_class: str, year: int) -> CaseFile:
    bound = store_blob(io.BytesIO(f"bound {case.pk}".encode()))
    case_file = CaseFile.objects.create(
        case=case,
        assembled_by=archivist,
        suggested_retention=retention_class,
        retention=retention_class,
        status=CaseFileStatus.ARCHIVED,
        archive_year=year,
        archive_serial=CaseFile.objects.count() + 1,
        archive_number=f"J001-{year}-{retention_class}-{case.pk:04d}",
        archived_by=archivist,
        archived_at=timezone.now(),
        bound=bound,
    )
    Case.objects.filter(pk=case.pk).update(archived_at=timezone.now())
    return case_file


def _package(case_file: CaseFile) -> ArchivePackage:
    return ArchivePackage.objects.create(
        case=case_file.case,
        blob=store_blob(io.BytesIO(f"package {case_file.pk}".encode())),
        object_id=f"urn:test:{case_file.pk}",
        inventory_sha512="0" * 128,
        manifest_sha256="0" * 64,
        seal_seq=1,
        tree_size=1,
        item_count=1,
        file_count=1,
    )


@pytest.fixture
def files(unit_a, archivist_wu) -> dict[str, CaseFile]:
    """A 10-year file whose retention has ended, one still kept, a permanent one archived
    long ago (due for the archive), and a 30-year one archived this year."""
    return {
        "ended": _archived(CaseFactory(unit=unit_a), archivist_wu, Retention.YEARS_10, 2000),
        "kept": _archived(
            CaseFactory(unit=unit_a), archivist_wu, Retention.YEARS_10, THIS_YEAR - 5
        ),
        "old_permanent": _archived(
            CaseFactory(unit=unit_a), archivist_wu, Retention.PERMANENT, 2001
        ),
        "recent_30": _archived(
            CaseFactory(unit=unit_a), archivist_wu, Retention.YEARS_30, THIS_YEAR
        ),
    }


def test_only_files_past_retention_are_candidates(files) -> None:
    today = timezone.localdate()
    assert list(disposal.destruction_candidates(today)) == [files["ended"]]
    # 永久 never ends; a file of the archive's classes goes there once its years pass.
    due = set(disposal.transfer_due(today))
    assert due == {files["old_permanent"]}


def test_transfer_is_due_after_ten_whole_years(unit_a, archivist_wu) -> None:
    case_file = _archived(CaseFactory(unit=unit_a), archivist_wu, Retention.YEARS_30, 2026)
    # Archived in 2026: ten whole years run through 2036; due from 1 January 2037.
    assert case_file not in disposal.transfer_due(dt.date(2036, 12, 31))
    assert case_file in disposal.transfer_due(dt.date(2037, 1, 1))


def test_the_archivist_asks_and_the_agency_head_destroys(
    files, archivist_wu, agency_head_liu, django_capture_on_commit_callbacks
) -> None:
    ended = files["ended"]
    package = _package(ended)
    asked = actions.request_destruction(
        archivist_wu, [ended.pk], "保管期限已满，经鉴定无保存价值。"
    )
    assert disposal.destruction_candidates(timezone.localdate()).count() == 0
    with pytest.raises(ValidationError):  # asked once
        actions.request_destruction(archivist_wu, [ended.pk], "再次")

    with django_capture_on_commit_callbacks(execute=True):
        decision = actions.decide_destruction(
            agency_head_liu, asked, approve=True, opinion="同意销毁。"
        )
    destroyed = CaseFileDestruction.objects.get(case_file=ended)
    assert destroyed.decision == decision and destroyed.files_removed == 2
    removed = set(BlobRemoval.objects.values_list("blob_id", flat=True))
    assert removed == {ended.bound_id, package.blob_id}
    for sha in removed:
        with pytest.raises(BlobNotFound):
            get_store().open(sha)
    # The files that stay keep their bytes.
    assert get_store().open(files["kept"].bound_id).read()
    with pytest.raises(ValidationError):
        open_bound_pdf(archivist_wu, ended)
    events = AuditEvent.objects.filter(action="archive_disposal.destroy")
    assert events.count() == 1 and events.get().details["files_removed"] == 2


def test_evidence_of_a_destroyed_file_becomes_an_av_candidate(
    archivist_wu, agency_head_liu, officer_wang, unit_a
) -> None:
    case = CaseFactory(unit=unit_a)
    record = AvRecord.objects.create(
        blob=store_blob(io.BytesIO(b"old evidence")),
        kind="video",
        source="upload",
        original_name="clip.mp4",
        content_type="video/mp4",
        unit=unit_a,
        officer=officer_wang,
        uploaded_by=officer_wang,
        uploaded_at=timezone.now() - dt.timedelta(days=9000),
    )
    AvLink.objects.create(
        record=record, case=case, kind="manual", evidence=True, linked_by=officer_wang
    )
    ended = _archived(case, archivist_wu, Retention.YEARS_10, 2000)
    # The file's retention has ended, so its evidence is a candidate already (R18.4);
    # destroying the file does not take it back.
    assert record.pk in set(av_candidates.candidates().values_list("pk", flat=True))
    asked = actions.request_destruction(archivist_wu, [ended.pk], "期满")
    actions.decide_destruction(agency_head_liu, asked, approve=True, opinion="同意")
    assert record.pk in set(av_candidates.candidates().values_list("pk", flat=True))


def test_a_rejected_request_destroys_nothing_and_may_be_asked_again(
    files, archivist_wu, agency_head_liu
) -> None:
    ended = files["ended"]
    asked = actions.request_destruction(archivist_wu, [ended.pk], "期满")
    actions.decide_destruction(agency_head_liu, asked, approve=False, opinion="仍有查考价值。")
    assert not CaseFileDestruction.objects.exists() and not BlobRemoval.objects.exists()
    assert list(disposal.destruction_candidates(timezone.localdate())) == [ended]
    with pytest.raises(ValidationError):  # decided once
        actions.decide_destruction(agency_head_liu, asked, approve=True, opinion="改为同意")


def test_refused_requests(files, archivist_wu, officer_wang, agency_head_liu) -> None:
    with pytest.raises(ValidationError) as refused:
        actions.request_destruction(archivist_wu, [files["kept"].pk], "未满")
    assert "files" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        actions.request_destruction(archivist_wu, [files["old_permanent"].pk], "永久")
    assert "files" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        actions.request_destruction(archivist_wu, [files["ended"].pk], "  ")
    assert "reason" in refused.value.message_dict
    for who in (officer_wang, agency_head_liu):
        with pytest.raises(PermissionDenied):
            actions.request_destruction(who, [files["ended"].pk], "期满")


def test_only_an_agency_head_other_than_the_asker_decides(
    files, archivist_wu, officer_wang, bureau
) -> None:
    both = make_person("dual_role", "兼任", [Role.ARCHIVIST, Role.AGENCY_HEAD])
    asked = actions.request_destruction(both, [files["ended"].pk], "期满")
    with pytest.raises(ValidationError):
        actions.decide_destruction(both, asked, approve=True, opinion="同意")
    denied = AuditEvent.objects.get(action="archive_disposal.decide")
    assert denied.outcome == Outcome.DENIED
    for who in (archivist_wu, officer_wang):
        with pytest.raises(PermissionDenied):
            actions.decide_destruction(who, asked, approve=True, opinion="同意")
    assert not CaseFileDestruction.objects.exists()


def test_hand_over_to_the_archive(files, archivist_wu, officer_wang) -> None:
    today = timezone.localdate()
    due = files["old_permanent"]
    with pytest.raises(PermissionDenied):
        actions.record_transfer(
            officer_wang, [due.pk], receiver="盘锦市大洼区档案馆", handed_over_on=today
        )
    with pytest.raises(ValidationError) as refused:
        actions.record_transfer(
            archivist_wu, [files["recent_30"].pk], receiver="区档案馆", handed_over_on=today
        )
    assert "files" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        actions.record_transfer(
            archivist_wu,
            [due.pk],
            receiver="",
            handed_over_on=today + dt.timedelta(days=1),
        )
    assert {"receiver", "handed_over_on"} <= set(refused.value.message_dict)
    handed = actions.record_transfer(
        archivist_wu, [due.pk], receiver="盘锦市大洼区档案馆", handed_over_on=today
    )
    assert list(handed.items.values_list("case_file_id", flat=True)) == [due.pk]
    assert not disposal.transfer_due(today).exists()
    with pytest.raises(ValidationError):  # handed over once
        actions.record_transfer(archivist_wu, [due.pk], receiver="again", handed_over_on=today)
    event = AuditEvent.objects.get(action="archive_disposal.transfer", outcome=Outcome.OK)
    assert event.details["receiver"] == "盘锦市大洼区档案馆"


def test_pages_are_for_the_archivist_and_the_agency_head(
    files, archivist_wu, agency_head_liu, officer_wang, head_zhang
) -> None:
    asked = actions.request_destruction(archivist_wu, [files["ended"].pk], "期满")
    pages = {
        "/archives/destruction/": {"archivist_wu"},
        "/archives/destruction/requests/": {"archivist_wu", "agency_head_liu"},
        f"/archives/destruction/requests/{asked.pk}/": {"archivist_wu", "agency_head_liu"},
        "/archives/transfers/": {"archivist_wu"},
    }
    for user in (archivist_wu, agency_head_liu, officer_wang, head_zhang):
        client = Client()
        client.force_login(user)
        for url, allowed in pages.items():
            status = client.get(url).status_code
            if user.username in allowed:
                assert status == 200, (user.username, url)
            else:
                assert status in (403, 404), (user.username, url, status)


def test_the_agency_head_finds_the_request_in_the_inbox(
    files, archivist_wu, agency_head_liu
) -> None:
    from liuhen.archives.inbox import destructions_to_decide

    assert destructions_to_decide(agency_head_liu) == []
    asked = actions.request_destruction(archivist_wu, [files["ended"].pk], "期满")
    tasks = destructions_to_decide(agency_head_liu)
    assert [task.link for task in tasks] == [f"/archives/destruction/requests/{asked.pk}/"]
    assert destructions_to_decide(archivist_wu) == []
