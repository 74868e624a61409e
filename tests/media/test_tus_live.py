"""A real tus client (``tuspy``) against a live server: a 200 MB recording is sent in
part, the connection drops in the middle of a request, a new client resumes from the
server's offset, and the stored digests are hashlib's (issue 4 acceptance)."""

from __future__ import annotations

import fcntl
import os
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from tusclient.client import TusClient

from liuhen.core.models import AuditEvent, Blob
from liuhen.media.models import AvRecord, TusUpload
from tests.fixtures.api import bearer
from tests.media.tus_helpers import (
    MIB,
    assert_no_partial_blob,
    file_digests,
    person_token,
    published_blobs,
    random_file,
)

pytestmark = pytest.mark.django_db(transaction=True)

SIZE = 200 * MIB
CHUNK = 32 * MIB


def _drop_mid_request(url: str, token: str, path: Path, offset: int, sent: int) -> None:
    """Begin a PATCH of a whole chunk, send ``sent`` bytes of it, and cut the connection
    (a network drop): the server keeps what arrived (tus core: store as much as possible)."""
    parts = urlsplit(url)
    head = (
        f"PATCH {parts.path} HTTP/1.1\r\n"
        f"Host: {parts.netloc}\r\n"
        "Tus-Resumable: 1.0.0\r\n"
        f"Authorization: Bearer {token}\r\n"
        "Content-Type: application/offset+octet-stream\r\n"
        f"Upload-Offset: {offset}\r\n"
        f"Content-Length: {CHUNK}\r\n\r\n"
    ).encode()
    with open(path, "rb") as source, socket.create_connection((parts.hostname, parts.port)) as sock:
        source.seek(offset)
        sock.sendall(head)
        sock.sendall(source.read(sent))
        sock.shutdown(socket.SHUT_RDWR)


def _wait_until_released(partial: Path, size: int) -> None:
    """Until the dropped request has written what arrived and let go of the upload."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if partial.stat().st_size == size:
            fd = os.open(partial, os.O_RDONLY)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                pass
            finally:
                os.close(fd)
        time.sleep(0.1)
    raise AssertionError(f"the server holds {partial.stat().st_size} bytes, expected {size}")


def test_tuspy_uploads_200_mb_interrupted_and_resumed(
    live_server, blob_root, officer_wang, tmp_path
):
    path = random_file(tmp_path / "DSJ0001_20250501093000_0001.mp4", SIZE)
    sha256, sm3, _size = file_digests(path)
    token = person_token(officer_wang)
    endpoint = f"{live_server.url}/api/v1/uploads/"
    assert requests.options(endpoint, timeout=10).headers["Tus-Version"] == "1.0.0"

    first = TusClient(endpoint, headers=bearer(token)).uploader(
        file_path=str(path),
        chunk_size=CHUNK,
        metadata={"filename": path.name, "filetype": "video/mp4"},
    )
    first.upload(stop_at=2 * CHUNK)  # two whole chunks, then the client stops
    assert first.offset == 2 * CHUNK
    upload = TusUpload.objects.get()
    partial = blob_root / "tmp" / "uploads" / f"{upload.pk}.part"
    sent = 10 * MIB + 12345
    _drop_mid_request(first.url, token, path, 2 * CHUNK, sent)
    _wait_until_released(partial, 2 * CHUNK + sent)
    # Nothing half-done is visible: no blob, no row, no record before the last byte.
    assert published_blobs(blob_root) == []
    assert not Blob.objects.exists() and not AvRecord.objects.exists()

    # A new client (another program run, another machine) resumes from the server's offset.
    second = TusClient(endpoint, headers=bearer(token)).uploader(
        file_path=str(path), url=first.url, chunk_size=CHUNK, upload_checksum=True
    )
    assert second.offset == 2 * CHUNK + sent
    second.upload()
    assert second.offset == SIZE

    record = AvRecord.objects.get()
    assert second.request.response_headers["liuhen-record"] == f"/media/{record.pk}/"
    assert record.original_name == path.name and record.uploaded_by == officer_wang
    blob = record.blob
    assert (blob.sha256, blob.sm3, blob.size) == (sha256, sm3, SIZE)
    assert AuditEvent.objects.filter(action="media.ingest", object_id=str(record.pk)).exists()
    assert not partial.exists()
    assert [p.name for p in published_blobs(blob_root)] and all(
        p.name in (sha256, f"{sha256}.sm3") for p in published_blobs(blob_root)
    )
    assert_no_partial_blob(blob_root)
    done = requests.head(first.url, headers={"Tus-Resumable": "1.0.0", **bearer(token)}, timeout=10)
    assert done.headers["Upload-Offset"] == str(SIZE)
    assert done.headers["Liuhen-Record"] == f"/media/{record.pk}/"
