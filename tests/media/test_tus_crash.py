"""Crash test (issue 4 acceptance): the production server (gunicorn, gthread) is killed
with SIGKILL in the middle of a PATCH. After a restart HEAD gives what is on disk, the
upload resumes and the stored digests are right; no partial blob is ever visible.

The server runs as a real subprocess on the test database (this test commits), with the
blob store in a temporary folder.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
import requests
from django.db import connection
from tusclient.client import TusClient

from liuhen.core.models import AuditEvent, Blob
from liuhen.media.models import AvRecord, TusUpload
from tests.factories import free_port
from tests.fixtures.api import bearer
from tests.media.tus_helpers import (
    MIB,
    OFFSET_TYPE,
    TUS,
    assert_no_partial_blob,
    file_digests,
    metadata,
    person_token,
    published_blobs,
    random_file,
)

pytestmark = pytest.mark.django_db(transaction=True)

SIZE = 50 * MIB
FIRST = 10 * MIB  # acknowledged before the crash
BODY = 30 * MIB  # the PATCH the server is killed in


def _database_url() -> str:
    """The test database, for the server subprocess."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


class Server:
    """gunicorn as ``liuhen serve`` runs it, in a process group of its own (killed whole)."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.log = log
        with log.open("ab") as handle:
            self.process = subprocess.Popen(
                [
                    sys.executable, "-m", "gunicorn", "liuhen.wsgi:application",
                    "--bind", f"127.0.0.1:{self.port}",
                    "--worker-class", "gthread", "--workers", "1", "--threads", "4",
                    "--no-control-socket",
                ],
                env=env,
                stdout=handle,
                stderr=subprocess.STDOUT,
                process_group=0,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, log.read_text(errors="replace")
            with contextlib.suppress(requests.RequestException):
                if requests.options(self.endpoint, timeout=2).status_code == 204:
                    return
            time.sleep(0.2)
        raise AssertionError("the server did not start: " + log.read_text(errors="replace"))

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v1/uploads/"

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


@pytest.fixture
def servers(tmp_path: Path, settings: Any) -> Iterator[tuple[Callable[[], Server], Path]]:
    blob_root = tmp_path / "blobs"
    settings.BLOB_URL = str(blob_root)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIUHEN_")}
    env |= {
        "LIUHEN_DATA_DIR": str(tmp_path / "server"),
        "LIUHEN_DATABASE_URL": _database_url(),
        "LIUHEN_BLOB_URL": str(blob_root),
        "LIUHEN_LOG_LEVEL": "INFO",
    }
    started: list[Server] = []
    log = tmp_path / "server.log"

    def start() -> Server:
        server = Server(env, log)
        started.append(server)
        return server

    yield start, log
    for server in started:  # a failed test leaves no server behind
        if server.process.poll() is None:
            server.kill()


def _patch_and_die(server: Server, token: str, location: str, path: Path, partial: Path) -> int:
    """Send part of a PATCH over a raw socket; SIGKILL the server while it writes."""
    target = urlsplit(location).path
    head = (
        f"PATCH {target} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
        f"Tus-Resumable: 1.0.0\r\nAuthorization: Bearer {token}\r\n"
        "Content-Type: application/offset+octet-stream\r\n"
        f"Upload-Offset: {FIRST}\r\nContent-Length: {BODY}\r\n\r\n"
    ).encode()
    with open(path, "rb") as source, socket.create_connection(("127.0.0.1", server.port)) as sock:
        source.seek(FIRST)
        sock.sendall(head)
        sock.sendall(source.read(BODY // 2))  # the rest never comes
        deadline = time.monotonic() + 30
        while partial.stat().st_size < FIRST + 8 * MIB:  # the server is writing
            assert time.monotonic() < deadline, "the server wrote nothing"
            time.sleep(0.05)
        server.kill()
    # The workers die with the master, but a write under way may still land just after
    # the master is gone (a dead worker may stay a zombie here): wait for a steady size.
    size = -1
    while size != partial.stat().st_size:
        size = partial.stat().st_size
        time.sleep(0.5)
    return size


def test_server_killed_mid_upload_resumes_to_the_right_digests(servers, tmp_path, officer_wang):
    start, log = servers
    blob_root = tmp_path / "blobs"
    path = random_file(tmp_path / "DSJ0001_20250501_0001.mp4", SIZE)
    sha256, sm3, _size = file_digests(path)
    token = person_token(officer_wang)
    auth = {**TUS, **bearer(token)}

    server = start()
    created = requests.post(
        server.endpoint,
        headers={
            **auth,
            "Upload-Length": str(SIZE),
            "Upload-Metadata": metadata(filename=path.name, filetype="video/mp4"),
        },
        timeout=30,
    )
    assert created.status_code == 201, created.text
    location = requests.compat.urljoin(server.endpoint, created.headers["Location"])
    upload = TusUpload.objects.get()
    partial = blob_root / "tmp" / "uploads" / f"{upload.pk}.part"
    with open(path, "rb") as source:
        answer = requests.patch(
            location,
            data=source.read(FIRST),
            headers={
                **auth,
                "Upload-Offset": "0",
                "Content-Type": OFFSET_TYPE,
            },
            timeout=60,
        )
    assert answer.status_code == 204 and answer.headers["Upload-Offset"] == str(FIRST)

    on_disk = _patch_and_die(server, token, location, path, partial)
    assert server.process.poll() is not None
    assert FIRST + 8 * MIB <= on_disk <= FIRST + BODY // 2
    # Nothing half-written is visible anywhere: no blob outside tmp/, no row, no record.
    assert published_blobs(blob_root) == []
    assert not Blob.objects.exists() and not AvRecord.objects.exists()

    server = start()
    location = requests.compat.urljoin(server.endpoint, created.headers["Location"])
    state = requests.head(location, headers=auth, timeout=30)
    assert state.status_code == 200
    assert state.headers["Upload-Offset"] == str(partial.stat().st_size) == str(on_disk)

    resumed = TusClient(server.endpoint, headers=bearer(token)).uploader(
        file_path=str(path), url=location, chunk_size=16 * MIB
    )
    assert resumed.offset == on_disk
    resumed.upload()

    record = AvRecord.objects.get()
    assert resumed.request.response_headers["liuhen-record"] == f"/media/{record.pk}/"
    assert (record.blob.sha256, record.blob.sm3, record.blob.size) == (sha256, sm3, SIZE)
    assert AuditEvent.objects.filter(action="media.ingest", object_id=str(record.pk)).exists()
    assert not partial.exists()
    assert_no_partial_blob(blob_root)
    assert {p.name for p in published_blobs(blob_root)} == {sha256, f"{sha256}.sm3"}
    # The restarted process never saw the first bytes: it hashed the file in one read.
    assert "finishing the digests in one read" in log.read_text(errors="replace")
