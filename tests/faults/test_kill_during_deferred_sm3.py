"""kill -9 of an upload stored with ``LIUHEN_INGEST_SM3=deferred`` (R16.1, R23.1): the
completed upload's bytes are adopted into the store without an SM3 (the worker computes
it afterwards), and the process is killed before the record of them commits. The store
left its mark before the blob landed, so ``liuhen blobs fixity`` reports an orphan and
exits 0 — while a file put into the store by hand is still untracked, a tampering alarm."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from liuhen.core import blobs
from liuhen.core.models import Blob
from liuhen.media.actions import uploads
from liuhen.media.models import AvRecord, IntegrityFinding, TusUpload
from liuhen.media.sample_media import make_mp4
from tests.faults._media_faults import KILLED, killed_at, liuhen, stored_blobs

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shared_font_cache"),
]


@pytest.fixture
def deferred_blob_root(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "blobs"
    settings.BLOB_URL = str(root)
    settings.INGEST_SM3 = "deferred"
    monkeypatch.setenv("LIUHEN_INGEST_SM3", "deferred")  # the child processes too
    return root


def _upload_killed_before_its_record(blob_root: Path, officer: Any, data: bytes) -> None:
    """A whole tus upload in a child process, SIGKILLed once its bytes are in the store."""
    source = blob_root.parent / "upload.bin"
    source.write_bytes(data)
    run = killed_at(
        blob_root,
        "liuhen.core.blobs:_blob_row",
        f"""
        from liuhen.accounts.models import User
        from liuhen.media.actions import uploads
        officer = User.objects.get(pk={officer.pk})
        data = open({str(source)!r}, "rb")
        size = {len(data)}
        upload = uploads.create_upload(officer, length=size, metadata={{"filename": "现场.mp4"}})
        uploads.receive(officer, upload, data, offset=0, length=size)
        """,
        after=False,
    )
    assert run.returncode == KILLED, run.stdout + run.stderr


def test_upload_killed_before_its_deferred_sm3_is_an_orphan_not_tampering(
    deferred_blob_root: Path, officer_wang
):
    data = make_mp4()
    sha256 = hashlib.sha256(data).hexdigest()
    _upload_killed_before_its_record(deferred_blob_root, officer_wang, data)
    assert stored_blobs(deferred_blob_root) == {sha256}
    assert blobs.get_store().stored_sm3(sha256) == ""  # no SM3 yet: it was deferred
    assert not Blob.objects.exists() and not AvRecord.objects.exists()

    fixity = liuhen(deferred_blob_root, "blobs", "fixity")
    assert fixity.returncode == 0, fixity.stdout + fixity.stderr
    assert f"orphan {sha256}: stored but never recorded" in fixity.stdout
    assert "0 changed, 0 missing, 0 untracked, 0 without SM3, 1 orphaned" in fixity.stdout
    assert not IntegrityFinding.objects.exists()

    # The client asks where its upload stands: the record is made from the bytes on disk,
    # the worker computes the SM3, and the mark gives way to it.
    upload = TusUpload.objects.get()
    uploads.finish_if_complete(officer_wang, upload)
    record = AvRecord.objects.get()
    assert record.blob_id == sha256 and blobs.needs_sm3(record.blob)
    blobs.complete_sm3(sha256)
    assert blobs.get_store().stored_sm3(sha256) == hashlib.new("sm3", data).hexdigest()
    assert not list(deferred_blob_root.rglob(f"{sha256}.stored"))
    fixity = liuhen(deferred_blob_root, "blobs", "fixity")
    assert fixity.returncode == 0, fixity.stdout + fixity.stderr
    assert "orphan" not in fixity.stdout


def test_a_file_put_into_the_store_by_hand_is_still_untracked(
    deferred_blob_root: Path, officer_wang
):
    """The other way: bytes nobody stored through the store carry no mark, so fixity
    raises the alarm — as it does for one given a mark that does not fit it."""
    data = make_mp4()
    _upload_killed_before_its_record(deferred_blob_root, officer_wang, data)
    (orphan,) = stored_blobs(deferred_blob_root)

    planted = os.urandom(4096)
    sha256 = hashlib.sha256(planted).hexdigest()
    place = deferred_blob_root / sha256[:2] / sha256[2:4] / sha256
    place.parent.mkdir(parents=True, exist_ok=True)
    place.write_bytes(planted)
    # A mark copied from the orphan: the size in it is not this file's.
    forged = deferred_blob_root / "ff" / "ff" / ("f" * 64)
    forged.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(deferred_blob_root / orphan[:2] / orphan[2:4] / orphan, forged)
    marked = os.urandom(100)
    marked_sha = hashlib.sha256(marked).hexdigest()
    marked_place = deferred_blob_root / marked_sha[:2] / marked_sha[2:4] / marked_sha
    marked_place.parent.mkdir(parents=True, exist_ok=True)
    marked_place.write_bytes(marked)
    shutil.copy(
        deferred_blob_root / orphan[:2] / orphan[2:4] / f"{orphan}.stored",
        marked_place.with_name(f"{marked_sha}.stored"),
    )

    fixity = liuhen(deferred_blob_root, "blobs", "fixity")
    assert fixity.returncode == 1, fixity.stdout + fixity.stderr
    assert f"orphan {orphan}: stored but never recorded" in fixity.stdout
    for untracked in (sha256, "f" * 64, marked_sha):
        assert f"untracked {untracked}" in fixity.stdout
    assert "3 untracked, 0 without SM3, 1 orphaned" in fixity.stderr
