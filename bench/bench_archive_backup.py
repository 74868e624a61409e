"""Backup and restore of an instance with many cases and stored files (R23.1).

Generates ``LIUHEN_BENCH_BACKUP_CASES`` cases (default 300) with three audit events each
and ``LIUHEN_BENCH_BACKUP_MB`` MiB of stored files (default 256) in files of
``LIUHEN_BENCH_BACKUP_FILE_MB`` MiB (default 4) — about a minute here; 10,000 cases and
20480 MiB is the size of a bureau's years. Then measures, in MiB/s of the instance's
data, next to the disk's fsync'd write rate measured in the same run: a full
``liuhen backup`` (encrypted), a second one with nothing new (incremental: no file
copied again), ``liuhen restore --check`` (decrypt and compare everything) and
``liuhen restore`` into a new instance, which includes its audit verify and full fixity
check. On PostgreSQL the restore needs an empty database named by
``LIUHEN_BENCH_RESTORED_DATABASE_URL``; without it that row is left out.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.harness import timer

NAME = "archive_backup"
DESCRIPTION = "backup and restore (MiB/s) of many cases and files, beside the fsync'd disk rate"

CASES = int(os.environ.get("LIUHEN_BENCH_BACKUP_CASES", "300"))
TOTAL_MB = int(os.environ.get("LIUHEN_BENCH_BACKUP_MB", "256"))
FILE_MB = int(os.environ.get("LIUHEN_BENCH_BACKUP_FILE_MB", "4"))
MIB = 1024 * 1024


def _populate() -> None:
    from django.db import transaction

    from bench.bench_case_list import _make_cases, _people
    from liuhen.cases.models import Case
    from liuhen.core import audit
    from liuhen.core.blobs import get_store, store_blob
    from liuhen.core.events import BlobEvents
    from liuhen.core.models import Blob

    missing = CASES - Case.objects.count()
    if missing > 0:
        _head, units, officers = _people()
        case_ids = _make_cases(missing, units, officers)
        with transaction.atomic():
            for case_id in case_ids[-missing:]:
                for _ in range(3):
                    audit.record(
                        BlobEvents.FIXITY,
                        object_type="cases.case",
                        object_id=case_id,
                        case_id=case_id,
                    )
    store = get_store()
    for _ in range(TOTAL_MB // FILE_MB - Blob.objects.count()):
        store_blob(io.BytesIO(os.urandom(FILE_MB * MIB)), store=store)


def _fsync_rate(folder: Path) -> float:
    """MiB/s of 64 MiB written in 1 MiB pieces and fsync'd, where the backups go."""
    folder.mkdir(parents=True, exist_ok=True)
    chunk = os.urandom(MIB)
    path = folder / "fsync-probe"
    with timer() as took, open(path, "wb") as out:
        for _ in range(64):
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    path.unlink()
    return 64 / took["seconds"]


def _instance_mib() -> float:
    from django.db import connection

    from liuhen.core.models import Blob

    blobs = sum(Blob.objects.values_list("size", flat=True))
    database = Path(connection.settings_dict["NAME"])
    size = database.stat().st_size if connection.vendor == "sqlite" else 0
    return (blobs + size) / MIB


def _row(step: str, mib: float, seconds: float, disk: float) -> dict[str, Any]:
    return {
        "step": step,
        "cases": CASES,
        "MiB": mib,
        "seconds": seconds,
        "MiB_per_s": mib / seconds,
        "disk_fsync_MiB_per_s": disk,
    }


def run() -> list[dict[str, Any]]:
    from django.db import connection

    from liuhen.core import audit
    from liuhen.core.actions import backup as backup_actions
    from liuhen.core.backup import sets
    from liuhen.core.backup.crypto import Secret

    _populate()
    work = Path(tempfile.mkdtemp(prefix="liuhen-bench-backup-"))
    key_file = work / "backup.key"
    key_file.write_bytes(os.urandom(32))
    secret = Secret(key_file=key_file)
    dest = work / "backups"
    disk = _fsync_rate(dest)
    rows = []
    with timer() as full:
        report = backup_actions.back_up(audit.SYSTEM, dest, secret)
    rows.append(_row("backup, full", report.bytes_read / MIB, full["seconds"], disk))
    with timer() as again:
        second = backup_actions.back_up(audit.SYSTEM, dest, secret)
    assert second.blobs_copied == 0, second
    rows.append(_row("backup, nothing new", _instance_mib(), again["seconds"], disk))
    with timer() as checked:
        sets.check_set(sets.open_set(dest, secret))
    rows.append(_row("restore --check", _instance_mib(), checked["seconds"], disk))
    env = dict(os.environ, LIUHEN_DATA_DIR=str(work / "restored"), LIUHEN_DATABASE_URL="")
    env.pop("LIUHEN_BLOB_URL", None)
    if connection.vendor != "sqlite":
        env["LIUHEN_DATABASE_URL"] = os.environ.get("LIUHEN_BENCH_RESTORED_DATABASE_URL", "")
    if env["LIUHEN_DATABASE_URL"] or connection.vendor == "sqlite":
        command = [sys.executable, "-m", "liuhen.manage", "restore", str(dest)]
        with timer() as restored:
            done = subprocess.run(
                [*command, "--key-file", str(key_file)], env=env, capture_output=True, text=True
            )
        assert done.returncode == 0, done.stdout + done.stderr
        rows.append(
            _row("restore + audit verify + fixity", _instance_mib(), restored["seconds"], disk)
        )
    return rows
