"""Completing an upload in the blob store: the filesystem store links the partial file
into place (no copy, no second read), S3 uploads it once with the digests known; the SM3
computed later (``LIUHEN_INGEST_SM3=deferred``) is kept beside the blob in both."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.test import Client
from django.utils import timezone

from liuhen.core import audit, blobs
from liuhen.core.actions.blobs import run_fixity
from liuhen.core.blobs import BlobError, BlobInfo, FilesystemStore, S3Store
from liuhen.core.models import Blob, BlobSm3
from liuhen.media.ingest import uploads
from liuhen.media.models import AvRecord, IntegrityFinding
from tests.media.tus_helpers import MIB, OFFSET_TYPE, TUS, metadata

pytestmark = pytest.mark.django_db

PART = 5 * MIB
CREDENTIALS = {"access_key": "testing", "secret_key": "testing", "region": "us-east-1"}


def _bucket(endpoint: str) -> str:
    bucket = f"tus-{uuid.uuid4().hex[:12]}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).create_bucket(Bucket=bucket)
    return bucket


def _s3_store(endpoint: str) -> S3Store:
    return S3Store(_bucket(endpoint), "av", endpoint_url=endpoint, part_size=PART, **CREDENTIALS)


def _info(data: bytes, *, sm3: bool = True) -> BlobInfo:
    return BlobInfo(
        hashlib.sha256(data).hexdigest(),
        hashlib.new("sm3", data).hexdigest() if sm3 else "",
        len(data),
    )


def _staged(directory: Path, data: bytes) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{uuid.uuid4()}.part"
    path.write_bytes(data)
    return path


def _s3_leftovers(store: S3Store) -> list[str]:
    keys = [
        item["Key"]
        for item in store.client.list_objects_v2(Bucket=store.bucket).get("Contents", [])
        if item["Key"].startswith(f"{store.prefix}tmp")
    ]
    pending = store.client.list_multipart_uploads(Bucket=store.bucket).get("Uploads", [])
    return keys + [item["Key"] for item in pending]


# --- the filesystem store ---------------------------------------------------------------------


def test_filesystem_adopt_links_the_file_into_place(tmp_path):
    store = FilesystemStore(tmp_path / "blobs")
    data = os.urandom(3 * MIB)
    partial = _staged(store.staging_dir() / "uploads", data)
    inode = partial.stat().st_ino
    info = _info(data)
    assert store.adopt(partial, info) == info
    final = store.path(info.sha256)
    assert final.stat().st_ino == inode  # the same file: not copied
    assert final.stat().st_mode & 0o777 == 0o444
    assert store.stored_sm3(info.sha256) == info.sm3
    assert store.verify(info.sha256, expected=info).ok
    # The same bytes again: the stored blob is kept.
    again = _staged(store.staging_dir() / "uploads", data)
    store.adopt(again, info)
    assert final.stat().st_ino == inode


def test_filesystem_adopt_refuses_a_file_of_another_size(tmp_path):
    store = FilesystemStore(tmp_path / "blobs")
    data = b"recording"
    partial = _staged(store.staging_dir() / "uploads", data + b"!")
    with pytest.raises(BlobError):
        store.adopt(partial, _info(data))
    assert list(store.iter_all()) == []


def test_filesystem_adopt_without_sm3_then_record_it(tmp_path):
    store = FilesystemStore(tmp_path / "blobs")
    data = os.urandom(1000)
    info = _info(data, sm3=False)
    store.adopt(_staged(store.staging_dir() / "uploads", data), info)
    assert store.stored_sm3(info.sha256) == ""
    sm3 = hashlib.new("sm3", data).hexdigest()
    store.record_sm3(info.sha256, sm3)
    assert store.stored_sm3(info.sha256) == sm3
    store.record_sm3(info.sha256, "0" * 64)  # kept, never overwritten
    assert store.stored_sm3(info.sha256) == sm3


# --- the S3 store ---------------------------------------------------------------------------


@pytest.mark.parametrize("size", [PART // 2, 2 * PART + 12345])
def test_s3_adopt_uploads_once_with_the_digests(s3_endpoint, tmp_path, size):
    store = _s3_store(s3_endpoint)
    data = os.urandom(size)
    info = _info(data)
    store.adopt(_staged(tmp_path, data), info)
    head = store.client.head_object(Bucket=store.bucket, Key=store.key(info.sha256))
    assert head["Metadata"] == {"sha256": info.sha256, "sm3": info.sm3}
    assert store.open(info.sha256).read() == data
    assert _s3_leftovers(store) == []
    store.adopt(_staged(tmp_path, data), info)  # already there: nothing sent
    assert list(store.iter_all()) == [info.sha256]


def test_s3_adopt_without_sm3_then_record_it(s3_endpoint, tmp_path):
    store = _s3_store(s3_endpoint)
    data = os.urandom(1000)
    info = _info(data, sm3=False)
    store.adopt(_staged(tmp_path, data), info)
    assert store.stored_sm3(info.sha256) == ""
    sm3 = hashlib.new("sm3", data).hexdigest()
    store.record_sm3(info.sha256, sm3)
    assert store.stored_sm3(info.sha256) == sm3
    assert store.open(info.sha256).read() == data
    assert store.verify(info.sha256, expected=_info(data)).ok


# --- late SM3 (both stores) -----------------------------------------------------------------


@pytest.mark.parametrize("backend", ["filesystem", "s3"])
def test_complete_sm3_reads_once_and_keeps_it_beside_the_blob(request, tmp_path, backend):
    store: Any = (
        FilesystemStore(tmp_path / "blobs")
        if backend == "filesystem"
        else _s3_store(request.getfixturevalue("s3_endpoint"))
    )
    data = os.urandom(2 * MIB + 7)
    staging = store.staging_dir() or tmp_path
    row = blobs.adopt_blob(_staged(staging / "uploads", data), _info(data, sm3=False), store=store)
    assert row.sm3 == "" and blobs.needs_sm3(row)
    sm3 = hashlib.new("sm3", data).hexdigest()
    assert blobs.complete_sm3(row.sha256, store=store) == sm3
    assert BlobSm3.objects.get(blob=row).sm3 == sm3 and not blobs.needs_sm3(row)
    assert store.stored_sm3(row.sha256) == sm3
    report = blobs.check_fixity(store)
    assert report.ok and report.checked == 1


def test_fixity_reports_a_blob_whose_deferred_sm3_was_never_computed(tmp_path, time_machine):
    """R16.1: a deferred SM3 whose task was lost (the worker died, the queue was not
    reached) is a finding once the grace period is over, never silently missing; the
    daily task asks for it again."""
    store = FilesystemStore(tmp_path / "blobs")
    data = os.urandom(4096)
    row = blobs.adopt_blob(
        _staged(store.staging_dir() / "uploads", data), _info(data, sm3=False), store=store
    )
    assert blobs.check_fixity(store).ok  # the worker is still expected to compute it
    time_machine.move_to(timezone.now() + blobs.SM3_GRACE + dt.timedelta(minutes=1))
    report = run_fixity(audit.SYSTEM, store)
    assert not report.ok and report.without_sm3 == [row.sha256]
    finding = IntegrityFinding.objects.get(sha256=row.sha256)
    assert finding.problem == IntegrityFinding.Problem.WITHOUT_SM3
    assert finding.get_problem_display() == "缺少SM3摘要"
    blobs.complete_sm3(row.sha256, store=store)  # the task run again: it is there now
    assert blobs.check_fixity(store).ok


def test_identical_bytes_uploaded_inline_give_a_deferred_blob_its_sm3(tmp_path):
    store = FilesystemStore(tmp_path / "blobs")
    data = os.urandom(4096)
    staging = store.staging_dir() / "uploads"
    row = blobs.adopt_blob(_staged(staging, data), _info(data, sm3=False), store=store)
    blobs.adopt_blob(_staged(staging, data), _info(data), store=store)
    assert BlobSm3.objects.get(blob=row).sm3 == hashlib.new("sm3", data).hexdigest()
    assert Blob.objects.get().sm3 == ""


# --- the whole endpoint on S3 -------------------------------------------------------------------


def test_tus_upload_into_s3(s3_endpoint, settings, tmp_path, officer_wang):
    """The partial file lives in LIUHEN_TUS_PARTIAL_DIR; completion uploads it once."""
    bucket = _bucket(s3_endpoint)
    settings.BLOB_URL = f"s3://{bucket}/av?endpoint={s3_endpoint}"
    settings.S3_ACCESS_KEY_ID = settings.S3_SECRET_ACCESS_KEY = "testing"
    settings.S3_PART_SIZE = PART
    settings.TUS_PARTIAL_DIR = tmp_path / "partials"
    uploads.running_digests.clear()
    data = os.urandom(2 * PART + 99)
    client = Client()
    client.force_login(officer_wang)
    created = client.post(
        "/api/v1/uploads/",
        headers={
            **TUS,
            "Upload-Length": str(len(data)),
            "Upload-Metadata": metadata(filename="clip.mp4"),
        },
    )
    location = created["Location"]
    assert (tmp_path / "partials" / f"{location.rsplit('/', 1)[-1]}.part").exists()
    for start, end in ((0, PART + 1), (PART + 1, len(data))):
        answer = client.patch(
            location,
            data[start:end],
            content_type=OFFSET_TYPE,
            headers={**TUS, "Upload-Offset": str(start)},
        )
        assert answer.status_code == 204, answer.content
    record = AvRecord.objects.get()
    store = blobs.get_store()
    assert isinstance(store, S3Store)
    assert record.blob.backend == "s3"
    assert store.verify(record.blob.sha256, expected=_info(data)).ok
    assert list((tmp_path / "partials").iterdir()) == []
    assert _s3_leftovers(store) == []
