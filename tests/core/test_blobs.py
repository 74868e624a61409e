"""The write-once blob store (R14.1, R16.1, R23.1): one suite, both backends.

The S3 backend runs against a real S3 endpoint on localhost (moto's server mode,
started once for the session); the filesystem backend in ``tmp_path``.
"""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from liuhen.core import blobs
from liuhen.core.actions import blobs as blob_actions
from liuhen.core.audit import SYSTEM
from liuhen.core.blobs import BlobInfo, BlobStore, DigestMismatch, FilesystemStore, S3Store
from liuhen.core.models import AuditEvent, Blob
from tests.fixtures.storage import S3_PART, new_s3_store

pytestmark = pytest.mark.usefixtures("signing_key_file")

MIB = 1024 * 1024
PART = S3_PART


@pytest.fixture(params=["filesystem", "s3"])
def any_blob_store(request: pytest.FixtureRequest, tmp_path: Path) -> BlobStore:
    if request.param == "filesystem":
        return FilesystemStore(tmp_path / "blobs")
    return new_s3_store(request.getfixturevalue("s3_endpoint"))


def _expected(data: bytes) -> BlobInfo:
    return BlobInfo(
        hashlib.sha256(data).hexdigest(), hashlib.new("sm3", data).hexdigest(), len(data)
    )


def _leftovers(store: BlobStore) -> list[str]:
    """Everything in the store that is not a published blob (or its SM3 sidecar)."""
    if isinstance(store, FilesystemStore):
        if not store.root.exists():
            return []
        found = [str(p.relative_to(store.root)) for p in store.root.rglob("*") if p.is_file()]
        return [name for name in found if name.startswith("tmp/")]
    assert isinstance(store, S3Store)
    keys = [
        item["Key"]
        for item in store.client.list_objects_v2(Bucket=store.bucket).get("Contents", [])
    ]
    uploads = store.client.list_multipart_uploads(Bucket=store.bucket).get("Uploads", [])
    return [key for key in keys if key.startswith(f"{store.prefix}tmp/")] + [
        u["Key"] for u in uploads
    ]


def _corrupt(store: BlobStore, sha256: str) -> None:
    """Change one byte of a stored blob by hand, keeping its size and metadata."""
    data = bytearray(store.open(sha256).read())
    data[len(data) // 2] ^= 0xFF
    if isinstance(store, FilesystemStore):
        path = store.path(sha256)
        os.chmod(path, 0o644)
        path.write_bytes(bytes(data))
    else:
        assert isinstance(store, S3Store)
        store.client.put_object(
            Bucket=store.bucket,
            Key=store.key(sha256),
            Body=bytes(data),
            Metadata={"sha256": sha256, "sm3": store.stored_sm3(sha256)},
        )


class Exploding(io.RawIOBase):
    """A stream that fails after ``limit`` bytes (a dropped upload, a dying disk)."""

    def __init__(self, data: bytes, limit: int) -> None:
        self._data, self._limit, self._pos = data, limit, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self._pos >= self._limit:
            raise OSError("connection reset in the middle of the upload")
        size = len(self._data) if size < 0 else size
        chunk = self._data[self._pos : min(self._pos + size, self._limit)]
        self._pos += len(chunk)
        return chunk


# --- the store itself (both backends) -------------------------------------------------------


def test_round_trip_digests_equal_hashlib(any_blob_store: BlobStore) -> None:
    data = os.urandom(300_000)
    info = any_blob_store.put(io.BytesIO(data))
    assert info == _expected(data)
    assert any_blob_store.exists(info.sha256)
    assert any_blob_store.size(info.sha256) == len(data)
    assert any_blob_store.stored_sm3(info.sha256) == info.sm3
    with any_blob_store.open(info.sha256) as handle:
        assert handle.read() == data
    assert list(any_blob_store.iter_all()) == [info.sha256]
    assert any_blob_store.verify(info.sha256).ok
    assert _leftovers(any_blob_store) == []


def test_empty_stream(any_blob_store: BlobStore) -> None:
    info = any_blob_store.put(io.BytesIO(b""))
    assert info == _expected(b"")
    assert any_blob_store.open(info.sha256).read() == b""


def test_identical_bytes_are_stored_once(any_blob_store: BlobStore) -> None:
    data = b"the same recording" * 1000
    first = any_blob_store.put(io.BytesIO(data))
    if isinstance(any_blob_store, FilesystemStore):
        inode = any_blob_store.path(first.sha256).stat().st_ino
    second = any_blob_store.put(io.BytesIO(data), expected_sha256=first.sha256)
    assert first == second
    assert list(any_blob_store.iter_all()) == [first.sha256]
    if isinstance(any_blob_store, FilesystemStore):
        assert any_blob_store.path(first.sha256).stat().st_ino == inode  # not rewritten
    assert _leftovers(any_blob_store) == []


@pytest.mark.parametrize("size", [1000, 2 * PART + 123])
def test_wrong_expected_digest_is_refused_and_nothing_stored(
    any_blob_store: BlobStore, size: int
) -> None:
    data = os.urandom(size)
    with pytest.raises(DigestMismatch):
        any_blob_store.put(io.BytesIO(data), expected_sha256="0" * 64)
    assert list(any_blob_store.iter_all()) == []
    assert not any_blob_store.exists(_expected(data).sha256)
    assert _leftovers(any_blob_store) == []


@pytest.mark.parametrize("limit", [100_000, 2 * PART + 5])
def test_failure_mid_stream_leaves_nothing(any_blob_store: BlobStore, limit: int) -> None:
    data = os.urandom(3 * PART)
    with pytest.raises(OSError, match="connection reset"):
        any_blob_store.put(Exploding(data, limit))
    assert list(any_blob_store.iter_all()) == []
    assert _leftovers(any_blob_store) == []
    # The store works normally afterwards.
    assert any_blob_store.put(io.BytesIO(data)) == _expected(data)


def test_large_stream_spans_several_parts(any_blob_store: BlobStore) -> None:
    data = os.urandom(2 * PART + 3 * MIB)  # three parts of 5 MiB, the last one short
    info = any_blob_store.put(io.BytesIO(data))
    assert info == _expected(data)
    with any_blob_store.open(info.sha256) as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == info.sha256
    assert any_blob_store.verify(info.sha256).ok
    assert _leftovers(any_blob_store) == []
    if isinstance(any_blob_store, S3Store):
        head = any_blob_store.client.head_object(
            Bucket=any_blob_store.bucket, Key=any_blob_store.key(info.sha256)
        )
        assert head["Metadata"] == {"sha256": info.sha256, "sm3": info.sm3}
        assert (
            any_blob_store.key(info.sha256)
            == f"av/{info.sha256[:2]}/{info.sha256[2:4]}/{info.sha256}"
        )


def test_ranged_reads(any_blob_store: BlobStore) -> None:
    data = os.urandom(3 * MIB + 17)
    sha256 = any_blob_store.put(io.BytesIO(data)).sha256
    with any_blob_store.open(sha256) as handle:
        assert handle.seekable()
        handle.seek(2 * MIB + 5)
        assert handle.read(1000) == data[2 * MIB + 5 : 2 * MIB + 1005]
        handle.seek(-10, io.SEEK_END)
        assert handle.read() == data[-10:]
        handle.seek(7)
        assert handle.read(3) == data[7:10]
    assert any_blob_store.open_range(sha256, 1234, 5678).read() == data[1234:5678]
    assert any_blob_store.open_range(sha256, len(data) - 5, len(data)).read() == data[-5:]


def test_missing_blob(any_blob_store: BlobStore) -> None:
    absent = "a" * 64
    assert not any_blob_store.exists(absent)
    with pytest.raises(blobs.BlobNotFound):
        any_blob_store.open(absent)
    with pytest.raises(blobs.BlobNotFound):
        any_blob_store.size(absent)
    assert not any_blob_store.verify(absent).found
    with pytest.raises(blobs.BlobError):
        any_blob_store.exists("../../etc/passwd")


def test_verify_detects_a_corrupted_blob(any_blob_store: BlobStore) -> None:
    sha256 = any_blob_store.put(io.BytesIO(os.urandom(50_000))).sha256
    _corrupt(any_blob_store, sha256)
    result = any_blob_store.verify(sha256)
    assert not result.ok
    assert any("SHA-256" in problem for problem in result.problems)


def test_delete_is_for_disposal_only(any_blob_store: BlobStore) -> None:
    sha256 = any_blob_store.put(io.BytesIO(b"expired raw footage")).sha256
    any_blob_store.delete(sha256)
    assert not any_blob_store.exists(sha256)
    assert list(any_blob_store.iter_all()) == []
    with pytest.raises(blobs.BlobNotFound):
        any_blob_store.delete(sha256)


# --- filesystem specifics -------------------------------------------------------------------


def test_filesystem_layout_and_read_only_files(tmp_path: Path) -> None:
    store = FilesystemStore(tmp_path / "blobs")
    info = store.put(io.BytesIO(b"body-worn camera footage"))
    path = store.path(info.sha256)
    assert path == tmp_path / "blobs" / info.sha256[:2] / info.sha256[2:4] / info.sha256
    assert path.stat().st_mode & 0o777 == 0o444
    sidecar = path.with_name(f"{info.sha256}.sm3")
    assert sidecar.read_text().strip() == info.sm3
    assert sidecar.stat().st_mode & 0o777 == 0o444
    assert list((tmp_path / "blobs" / "tmp").iterdir()) == []
    if os.geteuid() != 0:  # root ignores modes; the mode above is what we promise
        with pytest.raises(PermissionError):
            open(path, "r+b")  # noqa: SIM115


def test_filesystem_ignores_stale_temp_files(tmp_path: Path) -> None:
    """A temp file left by a killed process is never listed as a blob."""
    store = FilesystemStore(tmp_path / "blobs")
    (tmp_path / "blobs" / "tmp").mkdir(parents=True)
    (tmp_path / "blobs" / "tmp" / ("b" * 64)).write_bytes(b"half")
    assert list(store.iter_all()) == []


# --- rows, fixity and replication -------------------------------------------------------------


def test_store_blob_records_a_write_once_row(db: Any, any_blob_store: BlobStore) -> None:
    data = b"photo of the seized goods" * 100
    row = blobs.store_blob(io.BytesIO(data), store=any_blob_store)
    again = blobs.store_blob(io.BytesIO(data), store=any_blob_store)
    assert row.pk == again.pk == _expected(data).sha256
    assert (row.sm3, row.size, row.backend) == (
        _expected(data).sm3,
        len(data),
        any_blob_store.backend,
    )
    assert Blob.objects.count() == 1
    for sql in ("UPDATE core_blob SET size = 1", "DELETE FROM core_blob"):
        with (
            pytest.raises(IntegrityError, match="write-once"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)


def test_fixity_reports_changed_missing_and_untracked(db: Any, any_blob_store: BlobStore) -> None:
    good, bad, gone = (
        blobs.store_blob(io.BytesIO(os.urandom(10_000 + n)), store=any_blob_store) for n in range(3)
    )
    assert blob_actions.run_fixity(SYSTEM, any_blob_store).ok
    _corrupt(any_blob_store, bad.sha256)
    any_blob_store.delete(gone.sha256)
    # Stored by the store but never recorded (the process stopped before the commit): an
    # orphan, not a finding; bytes copied in by hand (no SM3 kept beside them) are one.
    orphan = any_blob_store.put(io.BytesIO(b"stored without a record"))
    by_hand = _put_by_hand(any_blob_store, b"copied in by hand")
    report = blob_actions.run_fixity(SYSTEM, any_blob_store)
    assert report.checked == 3
    assert report.changed == [bad.sha256]
    assert report.missing == [gone.sha256]
    assert report.untracked == [by_hand]
    assert report.orphans == [orphan.sha256]
    event = AuditEvent.objects.filter(action="blob.fixity").last()
    assert event is not None and event.outcome == "failed"
    assert event.details["changed"] == [bad.sha256]
    assert good.sha256 not in event.details["changed"]
    sampled = blob_actions.run_fixity(SYSTEM, any_blob_store, sample=1)
    assert sampled.checked == 1


def _put_by_hand(store: BlobStore, data: bytes) -> str:
    """Bytes placed under their SHA-256 name without the store (no SM3 beside them)."""
    sha256 = hashlib.sha256(data).hexdigest()
    if isinstance(store, FilesystemStore):
        path = store.path(sha256)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    else:
        assert isinstance(store, S3Store)
        store.client.put_object(Bucket=store.bucket, Key=store.key(sha256), Body=data)
    return sha256


def test_an_orphan_is_no_alarm_but_an_altered_one_is(db: Any, any_blob_store: BlobStore) -> None:
    """A blob stored but never committed is reported as an orphan and the run is ok; the
    same blob with its bytes changed is untracked, a finding (R16.1)."""
    orphan = any_blob_store.put(io.BytesIO(os.urandom(5000)))
    report = blob_actions.run_fixity(SYSTEM, any_blob_store)
    assert report.ok and report.orphans == [orphan.sha256] and report.untracked == []
    event = AuditEvent.objects.filter(action="blob.fixity").last()
    assert event is not None and event.outcome == "ok"
    assert event.details["orphans"] == [orphan.sha256]
    _corrupt(any_blob_store, orphan.sha256)
    report = blob_actions.run_fixity(SYSTEM, any_blob_store)
    assert not report.ok and report.untracked == [orphan.sha256] and report.orphans == []


def _url(store: BlobStore) -> str:
    if isinstance(store, FilesystemStore):
        return f"file://{store.root}"
    assert isinstance(store, S3Store)
    return f"s3://{store.bucket}/{store.prefix}?endpoint={store.endpoint_url}"


@pytest.fixture
def s3_settings(settings: Any) -> Any:
    settings.S3_ACCESS_KEY_ID = "testing"
    settings.S3_SECRET_ACCESS_KEY = "testing"
    settings.S3_REGION = "us-east-1"
    settings.S3_PART_SIZE = PART
    return settings


def test_fixity_command_exit_codes(db: Any, any_blob_store: BlobStore, s3_settings: Any) -> None:
    s3_settings.BLOB_URL = _url(any_blob_store)
    row = blobs.store_blob(io.BytesIO(os.urandom(20_000)))
    out = io.StringIO()
    call_command("blobs", "fixity", stdout=out)
    assert "1 checked, 0 changed, 0 missing, 0 untracked" in out.getvalue()
    _corrupt(any_blob_store, row.sha256)
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("blobs", "fixity", "--sample", "5", stdout=out)
    assert raised.value.returncode == 1
    assert f"changed {row.sha256}" in out.getvalue()
    assert AuditEvent.objects.filter(action="blob.fixity").count() == 2


def test_replicate_filesystem_to_s3_and_back(
    db: Any, tmp_path: Path, s3_endpoint: str, s3_settings: Any
) -> None:
    local = FilesystemStore(tmp_path / "blobs")
    remote = new_s3_store(s3_endpoint)
    s3_settings.BLOB_URL = str(local.root)
    sizes = [0, 1000, 2 * PART + 1]
    rows = [blobs.store_blob(io.BytesIO(os.urandom(size))) for size in sizes]

    out = io.StringIO()
    call_command("blobs", "replicate", "--to", _url(remote), stdout=out)
    assert "3 copied, 0 already there, 0 failed" in out.getvalue()
    for row in rows:
        assert remote.stored_sm3(row.sha256) == row.sm3
        assert remote.verify(row.sha256, expected=BlobInfo(row.sha256, row.sm3, row.size)).ok

    # Again: nothing to copy, everything verified.
    out = io.StringIO()
    call_command("blobs", "replicate", "--to", _url(remote), stdout=out)
    assert "0 copied, 3 already there, 0 failed" in out.getvalue()

    # And back into an empty local store.
    restored = FilesystemStore(tmp_path / "restored")
    out = io.StringIO()
    call_command("blobs", "replicate", "--from", _url(remote), "--to", _url(restored), stdout=out)
    assert "3 copied" in out.getvalue()
    for row in rows:
        assert restored.verify(row.sha256, expected=BlobInfo(row.sha256, row.sm3, row.size)).ok
    assert AuditEvent.objects.filter(action="blob.replicate", outcome="ok").count() == 3


def test_replicate_reports_a_damaged_copy(db: Any, tmp_path: Path, s3_endpoint: str) -> None:
    local = FilesystemStore(tmp_path / "blobs")
    remote = new_s3_store(s3_endpoint)
    row = blobs.store_blob(io.BytesIO(os.urandom(4000)), store=local)
    assert blob_actions.run_replicate(SYSTEM, local, remote).ok
    _corrupt(remote, row.sha256)
    report = blob_actions.run_replicate(SYSTEM, local, remote)
    assert list(report.failed) == [row.sha256]
    assert AuditEvent.objects.filter(action="blob.replicate").last().outcome == "failed"


def test_store_urls(settings: Any, tmp_path: Path) -> None:
    assert isinstance(blobs.store_from_url(str(tmp_path)), FilesystemStore)
    assert blobs.store_from_url(f"file://{tmp_path}").root == tmp_path  # type: ignore[attr-defined]
    s3 = blobs.store_from_url("s3://evidence/av?endpoint=http://127.0.0.1:9000&region=cn-1")
    assert isinstance(s3, S3Store)
    assert (s3.bucket, s3.prefix, s3.endpoint_url) == ("evidence", "av/", "http://127.0.0.1:9000")
    with pytest.raises(blobs.BlobError):
        blobs.store_from_url("ftp://host/x")
    settings.BLOB_URL = str(tmp_path / "configured")
    assert blobs.get_store().root == tmp_path / "configured"  # type: ignore[attr-defined]
