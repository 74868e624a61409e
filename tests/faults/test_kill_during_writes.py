"""kill -9 while bytes are being recorded (R16.1, R23.1): a collection-station import and
the issuing of a document are killed right after the bytes reach the store and before the
transaction that records them commits. Nothing partial is left (no record, no file row, no
number taken), the next run does the work, and ``liuhen blobs fixity`` reports the stored
bytes as an orphan and exits 0 — no false tampering alarm, no integrity finding."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from liuhen.cases.actions.registration import link_party
from liuhen.cases.models import Stage
from liuhen.core.audit import SYSTEM
from liuhen.core.models import Blob
from liuhen.devices import actions as device_actions
from liuhen.documents.actions import drafting, issuing
from liuhen.documents.models import Document, DocumentStatus, IssuedDocument
from liuhen.media.models import AvRecord, DockFile, IntegrityFinding
from liuhen.media.sample_media import make_mp4
from liuhen.subjects import actions as subject_actions
from tests.factories import CaseFactory
from tests.faults._media_faults import KILLED, killed_at, liuhen, stored_blobs

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shared_font_cache"),
]


@pytest.fixture
def fault_blob_root(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "blobs"
    settings.BLOB_URL = str(root)
    return root


def _fixity_reports_orphan(blob_root: Path, orphan: str) -> None:
    fixity = liuhen(blob_root, "blobs", "fixity")
    assert fixity.returncode == 0, fixity.stdout + fixity.stderr
    assert f"orphan {orphan}: stored but never recorded" in fixity.stdout
    assert "0 changed, 0 missing, 0 untracked, 0 without SM3, 1 orphaned" in fixity.stdout
    assert not IntegrityFinding.objects.exists()


def test_import_dock_killed_between_store_and_commit(fault_blob_root: Path, tmp_path, unit_a):
    device_actions.enrol_device(SYSTEM, serial="CJZ01", kind="station", unit=unit_a)
    folder = tmp_path / "dock"
    folder.mkdir()
    (folder / "CJZ01_0001.mp4").write_bytes(make_mp4())

    # Killed the moment the bytes are stored, before their row is written.
    run = killed_at(
        fault_blob_root,
        "liuhen.core.blobs:_blob_row",
        f"""
        from django.core.management import call_command
        call_command("import_dock", {str(folder)!r}, "--station", "CJZ01")
        """,
        after=False,
    )
    assert run.returncode == KILLED, run.stdout + run.stderr
    (orphan,) = stored_blobs(fault_blob_root)
    assert not Blob.objects.exists() and not AvRecord.objects.exists()
    assert not DockFile.objects.exists()
    _fixity_reports_orphan(fault_blob_root, orphan)

    # The next run imports the file; its bytes are the orphan, now on record.
    again = liuhen(fault_blob_root, "import-dock", str(folder), "--station", "CJZ01")
    assert again.returncode == 0, again.stdout + again.stderr
    assert AvRecord.objects.get().blob_id == orphan
    fixity = liuhen(fault_blob_root, "blobs", "fixity")
    assert fixity.returncode == 0 and "orphan" not in fixity.stdout


def _draft(unit: Any, officer: Any) -> Document:
    case = CaseFactory(unit=unit, officers=[officer], stage=Stage.INVESTIGATION, field="农药")
    party = subject_actions.create_subject(officer, kind="person", name="张三", address="1号")
    link_party(officer, case, party)
    start = timezone.localtime(timezone.now() - dt.timedelta(hours=1))
    draft = drafting.create_draft(officer, case, "inquiry_transcript")
    return drafting.save_draft(
        officer,
        draft,
        {
            **draft.data,
            "started_at": start.strftime("%Y-%m-%d %H:%M"),
            "ended_at": (start + dt.timedelta(minutes=40)).strftime("%Y-%m-%d %H:%M"),
            "place": "询问室",
            "recorder": "王明",
            "recusal": "否",
            "questions_answers": "问：你店内的农药从何处购进？\n答：从营口购进。",
        },
    )


def test_issue_killed_after_the_pdf_is_stored(fault_blob_root: Path, unit_a, officer_wang):
    draft = _draft(unit_a, officer_wang)

    # Killed the moment the rendered PDF is stored, inside the issuing transaction.
    run = killed_at(
        fault_blob_root,
        "liuhen.documents.actions.issuing:store_bytes",
        f"""
        from liuhen.accounts.models import User
        from liuhen.documents.actions import issuing
        from liuhen.documents.models import Document
        issuing.issue(User.objects.get(pk={officer_wang.pk}), Document.objects.get(pk={draft.pk}))
        """,
    )
    assert run.returncode == KILLED, run.stdout + run.stderr
    (orphan,) = stored_blobs(fault_blob_root)
    assert not Blob.objects.exists() and not IssuedDocument.objects.exists()
    draft.refresh_from_db()
    assert draft.status == DocumentStatus.DRAFT
    _fixity_reports_orphan(fault_blob_root, orphan)

    # Issued again: it works, and the stored PDF of the killed attempt stays an orphan.
    issued = issuing.issue(officer_wang, draft)
    assert IssuedDocument.objects.get() == issued
    fixity = liuhen(fault_blob_root, "blobs", "fixity")
    assert fixity.returncode == 0, fixity.stdout + fixity.stderr
