"""Crash test of ``liuhen import-dock`` (issue 4 acceptance): the command is killed with
SIGKILL part-way through a folder of recordings; no half-written blob is ever visible, and
a second run imports what is missing and nothing twice.

The command runs as a real process against this test's database (a transactional test, so
the station and recorder made here are committed and the child sees them, and what the
child commits is seen here) and a blob store of its own.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

from liuhen.core.audit import SYSTEM
from liuhen.devices import actions as device_actions
from liuhen.media.models import AvRecord, DockFile

pytestmark = pytest.mark.django_db(transaction=True)

FILES = 6
SIZE = 25 * 1024 * 1024
LIUHEN = [sys.executable, "-m", "liuhen.manage"]


def _database_url() -> str:
    """This test's database (the test database pytest-django made), for the child."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    parts = urlsplit(settings.DATABASE_URL)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _assert_no_partial_blob(root: Path) -> int:
    """Every blob outside tmp/ hashes to its name; every SM3 sidecar holds its blob's SM3."""
    blobs = 0
    for path in root.rglob("*"):
        if not path.is_file() or path.relative_to(root).parts[0] == "tmp":
            continue
        if path.suffix == ".sm3":
            blob = path.with_suffix("")
            assert blob.exists(), f"SM3 sidecar without its blob: {path}"
            assert path.read_text().strip() == hashlib.new("sm3", blob.read_bytes()).hexdigest()
            continue
        assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name, f"partial {path}"
        blobs += 1
    return blobs


def _writing(root: Path) -> bool:
    """A temporary file holding some, but not all, of a recording's bytes (not the small
    SM3 sidecar, which is written after the recording's bytes are complete)."""
    for entry in (root / "tmp").glob("put-*"):
        try:
            if 1024 * 1024 <= entry.stat().st_size < SIZE:
                return True
        except FileNotFoundError:  # published and removed meanwhile
            continue
    return False


def _start(folder: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*LIUHEN, "import-dock", str(folder), "--station", "CJZ01"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def test_import_dock_killed_mid_run_resumes_and_imports_each_file_once(
    tmp_path: Path, unit_a, settings
) -> None:
    device_actions.enrol_device(SYSTEM, serial="CJZ01", kind="station", unit=unit_a)
    device_actions.enrol_device(SYSTEM, serial="DSJ0001", kind="recorder", unit=unit_a)
    folder = tmp_path / "dock"
    folder.mkdir()
    digests = {}
    for seq in range(1, FILES + 1):
        name = f"DSJ0001_010203_20240501083000_{seq:04d}.MP4"
        data = os.urandom(SIZE)
        (folder / name).write_bytes(data)
        digests[name] = (hashlib.sha256(data).hexdigest(), hashlib.new("sm3", data).hexdigest())
    blob_root = tmp_path / "blobs"
    settings.BLOB_URL = str(blob_root)
    env = {**os.environ, "LIUHEN_DATABASE_URL": _database_url(), "LIUHEN_BLOB_URL": str(blob_root)}

    # First run: killed in the middle of writing a blob, after two files are recorded.
    first = _start(folder, env)
    watchdog = threading.Timer(180, first.kill)  # never hang the suite
    watchdog.start()
    seen = b""
    try:
        assert first.stdout is not None
        while not (line := first.stdout.readline()).startswith(b"[2/"):
            seen += line
            assert line, f"the import ended before it could be killed:\n{seen.decode()}"
        while not _writing(blob_root) and first.poll() is None:
            time.sleep(0.001)
        first.kill()  # SIGKILL: no clean-up of any kind
        first.wait(timeout=30)
    finally:
        watchdog.cancel()
    assert first.returncode == -9
    assert _writing(blob_root), "the kill did not land while a blob was being written"
    imported = DockFile.objects.count()
    assert 2 <= imported < FILES
    assert AvRecord.objects.count() == imported
    _assert_no_partial_blob(blob_root)

    # Second run: imports the rest, skips what the first one finished.
    second = subprocess.run(
        [*LIUHEN, "import-dock", str(folder), "--station", "CJZ01"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert second.returncode == 0, second.stdout + second.stderr
    assert f"skipped {imported} already imported, {FILES - imported} to import" in second.stdout
    assert f"{FILES - imported} imported" in second.stdout

    files = DockFile.objects.select_related("record__blob").order_by("path")
    assert [f.path for f in files] == sorted(digests)
    assert AvRecord.objects.count() == FILES
    for row in files:
        blob = row.record.blob
        assert (blob.sha256, blob.sm3, blob.size) == (*digests[row.path], SIZE)
        assert row.record.original_name == row.path
    assert _assert_no_partial_blob(blob_root) == FILES
