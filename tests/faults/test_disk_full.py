"""A full disk while recordings come in (R16.1): the store answers with a clear message in
the user's language, keeps nothing partial, the collection-station run still writes its
summary event, and once space is back the same import or upload goes through.

The full disk is simulated at the storage layer — writes into the blob store fail with
ENOSPC — so the test runs without the privilege to mount a small file system."""

from __future__ import annotations

import errno
import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from liuhen.core import blobs
from liuhen.core.audit import SYSTEM
from liuhen.core.models import AuditEvent, Blob
from liuhen.devices import actions as device_actions
from liuhen.media.ingest import uploads
from liuhen.media.models import AvRecord, DockFile
from liuhen.media.sample_media import make_mp4
from tests.faults._media_faults import stored_blobs
from tests.media.tus_helpers import API, OFFSET_TYPE, TUS, digests, metadata

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("blob_root")]

FULL = "存储空间已满"


def _no_space() -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class _FillingFile(io.RawIOBase):
    """A file on a disk with ``room`` bytes left: writes past it fail with ENOSPC."""

    def __init__(self, inner: Any, room: int) -> None:
        self.inner, self.room = inner, room

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if self.room <= 0:
            raise _no_space()
        written = self.inner.write(bytes(data)[: self.room])
        self.room -= written
        return int(written)

    def fileno(self) -> int:
        return int(self.inner.fileno())

    def close(self) -> None:
        self.inner.close()
        super().close()


@pytest.fixture
def disk_full(monkeypatch: pytest.MonkeyPatch, blob_root: Path) -> Iterator[Callable[[], None]]:
    """Files opened for writing in the blob store get 1000 bytes of room; the fixture's
    value gives the space back."""
    real_fdopen = os.fdopen

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        handle = real_fdopen(fd, *args, **kwargs)
        where = Path(os.readlink(f"/proc/self/fd/{fd}"))
        mode = args[0] if args else kwargs.get("mode", "r")
        if "w" in mode and where.is_relative_to(blob_root):
            return _FillingFile(handle, 1000)
        return handle

    monkeypatch.setattr(os, "fdopen", fdopen)
    yield lambda: monkeypatch.setattr(os, "fdopen", real_fdopen)


def test_storing_on_a_full_disk_is_a_clear_error_and_leaves_nothing(disk_full, blob_root) -> None:
    with pytest.raises(blobs.StorageFull) as full:
        blobs.store_blob(io.BytesIO(os.urandom(50_000)))
    assert FULL in str(full.value) and full.value.errno == errno.ENOSPC
    assert not stored_blobs(blob_root) and not Blob.objects.exists()
    assert not list((blob_root / "tmp").glob("put-*"))
    disk_full()
    assert blobs.store_blob(io.BytesIO(b"room again")).size == 10


def test_a_dock_run_on_a_full_disk_reports_it_and_resumes(disk_full, tmp_path, unit_a) -> None:
    device_actions.enrol_device(SYSTEM, serial="CJZ01", kind="station", unit=unit_a)
    folder = tmp_path / "dock"
    folder.mkdir()
    data = make_mp4()
    (folder / "CJZ01_0001.mp4").write_bytes(data)
    out = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import_dock", str(folder), "--station", "CJZ01", stdout=out)
    assert failed.value.returncode == 1
    assert f"failed CJZ01_0001.mp4: {FULL}" in out.getvalue()
    # The run's summary is in the log, with the reason.
    event = AuditEvent.objects.get(action="media.dock_import")
    assert event.outcome == "failed"
    assert FULL in event.details["failed"][0]["reason"]
    assert not AvRecord.objects.exists() and not DockFile.objects.exists()

    disk_full()  # space is back: the same run imports the file
    call_command("import_dock", str(folder), "--station", "CJZ01", stdout=io.StringIO())
    assert AvRecord.objects.get().blob.sha256 == digests(data)[0]


def test_a_tus_upload_on_a_full_disk_is_507_and_resumes(
    monkeypatch: pytest.MonkeyPatch, officer_wang, blob_root
) -> None:
    data = os.urandom(300_000)
    client = Client()
    client.force_login(officer_wang)
    location = client.post(
        API,
        headers={
            **TUS,
            "Upload-Length": str(len(data)),
            "Upload-Metadata": metadata(filename="a.mp4"),
        },
    )["Location"]

    def patch(body: bytes, offset: int) -> Any:
        return client.patch(
            location, body, content_type=OFFSET_TYPE, headers={**TUS, "Upload-Offset": str(offset)}
        )

    assert patch(data[:100_000], 0).status_code == 204
    real_write_all = uploads._write_all

    def half_then_full(fd: int, chunk: bytes) -> None:
        real_write_all(fd, chunk[: len(chunk) // 2])
        raise _no_space()

    monkeypatch.setattr(uploads, "_write_all", half_then_full)
    refused = patch(data[100_000:], 100_000)
    assert refused.status_code == 507, refused.content
    error = refused.json()["error"]
    assert error["code"] == "storage_full" and "服务器存储空间已满" in error["message"]
    # What the failed request wrote is dropped: the client resumes where it was.
    offset = client.head(location, headers=TUS)["Upload-Offset"]
    assert offset == "100000"

    monkeypatch.setattr(uploads, "_write_all", real_write_all)
    done = patch(data[100_000:], 100_000)
    assert done.status_code == 204 and done["Upload-Offset"] == str(len(data))
    assert AvRecord.objects.get().blob.sha256 == digests(data)[0]
