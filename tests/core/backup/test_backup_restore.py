"""``liuhen backup`` and ``liuhen restore`` (R23.1): a backup taken while writes go on
restores, in a fresh instance, every transaction committed before it began; the restored
audit log verifies and every stored file passes fixity. The snapshot is taken by a
connection of its own, so tests whose data it must see commit it (``transaction=True``).
Runs on whichever database the suite runs on (``make test`` runs SQLite and
PostgreSQL; the restored PostgreSQL instance gets a database of its own,
``<name>_restored``)."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction

from liuhen.core import audit, tasks
from liuhen.core.backup import sets
from liuhen.core.backup.crypto import Secret
from liuhen.core.blobs import store_blob
from liuhen.core.events import BackupEvents
from liuhen.core.models import AuditEvent, Outcome
from liuhen.core.treehead import sign_tree_head
from tests.factories import CaseFactory
from tests.vocabulary import ChainTestEvents

pytestmark = pytest.mark.usefixtures("signing_key_file", "blob_root")

PASSPHRASE = "备份口令-correct horse battery"


@pytest.fixture
def backup_passphrase_file(tmp_path: Path) -> Path:
    path = tmp_path / "passphrase"
    path.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return path


@pytest.fixture
def backup_dest(tmp_path: Path) -> Path:
    return tmp_path / "backups"


def _restored_database_url() -> str:
    """The restored instance's database: a new SQLite file, or ``<name>_restored``."""
    if connection.vendor == "sqlite":
        return ""
    parts = urlsplit(settings.DATABASE_URL)
    return urlunsplit(parts._replace(path=parts.path + "_restored"))


@pytest.fixture
def restored_instance(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """The environment of an empty second instance (its own data dir and database)."""
    url = _restored_database_url()
    if url:
        _recreate_postgres_database(url)
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("LIUHEN_", "PYTEST_")) or name == "LIUHEN_FONT_CACHE_DIR"
    }
    env.update(LIUHEN_DATA_DIR=str(tmp_path / "restored"), LIUHEN_DATABASE_URL=url)
    yield {"env": env, "url": url, "data_dir": tmp_path / "restored"}


def _recreate_postgres_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _liuhen(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "liuhen.manage", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _restored_rows(instance: dict[str, Any], sql: str) -> set[Any]:
    if instance["url"]:
        with psycopg.connect(instance["url"]) as conn:
            return {row[0] for row in conn.execute(sql)}
    with sqlite3.connect(instance["data_dir"] / "liuhen.sqlite3") as conn:
        return {row[0] for row in conn.execute(sql)}


def _wait_for(condition: Any) -> None:
    deadline = time.monotonic() + 120
    while not condition():
        assert time.monotonic() < deadline, "the writer made no progress"
        time.sleep(0.05)


def _back_up(dest: Path, passphrase_file: Path, **options: Any) -> str:
    out = io.StringIO()
    call_command("backup", str(dest), passphrase_file=str(passphrase_file), stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_backup_during_writes_restores_every_earlier_commit_and_passes_its_checks(
    unit_a: Any,
    officer_wang: Any,
    backup_dest: Path,
    backup_passphrase_file: Path,
    restored_instance: dict[str, Any],
    settings: Any,
    tmp_path: Path,
) -> None:
    # The audit key lives outside the keys folder, and the folder holds another key file
    # of the same name: the restored instance signs with the key the source signed with.
    settings.KEYS_DIR = tmp_path / "source-keys"
    settings.KEYS_DIR.mkdir()
    (settings.KEYS_DIR / "audit-ed25519.pem").write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    CaseFactory(unit=unit_a, officers=[officer_wang])
    store_blob(io.BytesIO(b"scan of the on-the-spot record"))
    sign_tree_head()
    committed: dict[str, list[Any]] = {"events": [], "cases": [], "blobs": []}
    stop = threading.Event()
    errors: list[BaseException] = []

    def write() -> None:
        try:
            number = 0
            while not stop.is_set():
                with transaction.atomic():
                    case = CaseFactory(unit=unit_a, officers=[officer_wang])
                    event = audit.record(ChainTestEvents.CONCURRENT, details={"n": number})
                blob = store_blob(io.BytesIO(f"written during the backup {number}".encode()))
                committed["events"].append(event.seq)
                committed["cases"].append(case.pk)
                committed["blobs"].append(blob.sha256)
                number += 1
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        _wait_for(lambda: len(committed["events"]) >= 3)
        before = {kind: list(values) for kind, values in committed.items()}
        _back_up(backup_dest, backup_passphrase_file)
        after_backup = len(committed["events"])
        _wait_for(lambda: len(committed["events"]) > after_backup)
    finally:
        stop.set()
        writer.join()
    assert errors == []

    result = _liuhen(
        restored_instance["env"],
        "restore",
        str(backup_dest),
        "--passphrase-file",
        str(backup_passphrase_file),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "审计日志验证通过" in result.stdout
    assert "完整性校验通过" in result.stdout
    assert "可以投入使用" in result.stdout

    seqs = _restored_rows(restored_instance, "SELECT seq FROM core_auditevent")
    cases = _restored_rows(restored_instance, "SELECT id FROM cases_case")
    blobs = _restored_rows(restored_instance, "SELECT sha256 FROM core_blob")
    assert set(before["events"]) <= seqs
    assert set(before["cases"]) <= cases
    assert set(before["blobs"]) <= blobs
    # The writer went on after the backup: its later commits are not in the set.
    assert committed["events"][-1] not in seqs
    restored_blobs = restored_instance["data_dir"] / "blobs"
    for sha256 in blobs:
        assert (restored_blobs / sha256[:2] / sha256[2:4] / sha256).is_file()
    assert (restored_instance["data_dir"] / "keys" / "audit-ed25519.pem").read_bytes() == Path(
        settings.AUDIT_SIGNING_KEY_FILE
    ).read_bytes()

    again = _liuhen(
        restored_instance["env"],
        "restore",
        str(backup_dest),
        "--passphrase-file",
        str(backup_passphrase_file),
    )
    assert again.returncode == 2
    assert "目标实例不是空的" in again.stderr


@pytest.mark.django_db
def test_a_wrong_passphrase_is_refused(
    backup_dest: Path, backup_passphrase_file: Path, tmp_path: Path
) -> None:
    _back_up(backup_dest, backup_passphrase_file)
    wrong = tmp_path / "wrong"
    wrong.write_text("not the passphrase at all", encoding="utf-8")
    with pytest.raises(CommandError, match="口令或密钥文件不正确") as refused:
        call_command("restore", str(backup_dest), passphrase_file=str(wrong))
    assert refused.value.returncode == 2
    with pytest.raises(sets.WrongSecret):
        sets.open_set(backup_dest, Secret(passphrase="not the passphrase at all"))
    with pytest.raises(CommandError, match="口令或密钥文件不正确"):
        _back_up(backup_dest, wrong)  # a second set must use the folder's key


@pytest.mark.django_db
def test_the_right_passphrase_opens_the_set(
    backup_dest: Path, backup_passphrase_file: Path
) -> None:
    _back_up(backup_dest, backup_passphrase_file)
    out = io.StringIO()
    call_command(
        "restore",
        str(backup_dest),
        passphrase_file=str(backup_passphrase_file),
        check=True,
        stdout=out,
    )
    assert "完好" in out.getvalue()


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.chmod(0o644)
    path.write_bytes(bytes(data))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("which", ["database", "blob", "manifest"])
def test_a_tampered_backup_file_is_detected(
    which: str, backup_dest: Path, backup_passphrase_file: Path
) -> None:
    store_blob(io.BytesIO(b"a photograph of the seized goods"))
    _back_up(backup_dest, backup_passphrase_file)
    (set_dir,) = sets.complete_sets(backup_dest)
    files = {
        "database": set_dir / sets.DATABASE_FILE,
        "blob": next((backup_dest / sets.POOL).glob("*/*.enc")),
        "manifest": set_dir / sets.MANIFEST,
    }
    _flip_a_byte(files[which])
    with pytest.raises(CommandError, match="已损坏") as refused:
        call_command(
            "restore", str(backup_dest), passphrase_file=str(backup_passphrase_file), check=True
        )
    assert refused.value.returncode == 2


@pytest.mark.django_db(transaction=True)
def test_a_restore_refuses_a_target_that_is_not_empty(
    backup_dest: Path, backup_passphrase_file: Path
) -> None:
    store_blob(io.BytesIO(b"evidence"))
    _back_up(backup_dest, backup_passphrase_file)
    events = AuditEvent.objects.count()
    with pytest.raises(CommandError, match="目标实例不是空的"):
        call_command("restore", str(backup_dest), passphrase_file=str(backup_passphrase_file))
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db(transaction=True)
def test_a_second_backup_copies_no_blob_an_earlier_set_holds(
    backup_dest: Path, backup_passphrase_file: Path
) -> None:
    old = [store_blob(io.BytesIO(f"old evidence {n}".encode())).sha256 for n in range(3)]
    secret = Secret(passphrase=PASSPHRASE)
    first = sets.make_backup(backup_dest, secret)
    assert (first.blobs_copied, first.blobs_reused) == (3, 0)
    pooled = {sha: sets._pool_path(backup_dest, sha).stat() for sha in old}
    new = store_blob(io.BytesIO(b"new evidence")).sha256

    second = sets.make_backup(backup_dest, secret)

    assert (second.blobs, second.blobs_copied, second.blobs_reused) == (4, 1, 3)
    for sha, before in pooled.items():
        after = sets._pool_path(backup_dest, sha).stat()
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert sets._pool_path(backup_dest, new).is_file()
    opened = sets.open_set(backup_dest, secret)
    assert opened.set_dir == second.set_dir
    assert {blob["sha256"] for blob in opened.manifest["blobs"]} == {*old, new}
    assert sets.check_set(opened) == 1 + len(opened.manifest["keys"]) + 4


@pytest.mark.django_db
def test_keep_removes_the_oldest_sets(backup_dest: Path, backup_passphrase_file: Path) -> None:
    for _ in range(3):
        _back_up(backup_dest, backup_passphrase_file)
    output = _back_up(backup_dest, backup_passphrase_file, keep=2)
    assert len(sets.complete_sets(backup_dest)) == 2
    assert "已删除较早的备份集" in output


@pytest.mark.django_db
def test_the_backup_is_recorded_in_the_audit_log(
    backup_dest: Path, backup_passphrase_file: Path
) -> None:
    _back_up(backup_dest, backup_passphrase_file)
    event = AuditEvent.objects.get(action=BackupEvents.MAKE)
    assert event.details["set"] == sets.complete_sets(backup_dest)[0].name


@pytest.mark.django_db
def test_the_scheduled_backup_uses_the_key_file_and_keeps_the_newest_sets(
    settings: Any, backup_dest: Path, tmp_path: Path
) -> None:
    settings.BACKUP_DIR = ""
    assert tasks.scheduled_backup.call() is None
    key_file = tmp_path / "backup.key"
    key_file.write_bytes(os.urandom(32))
    settings.BACKUP_DIR = str(backup_dest)
    settings.BACKUP_KEY_FILE = str(key_file)
    settings.BACKUP_KEEP = 2
    for _ in range(3):
        done = tasks.scheduled_backup.call()
    assert len(sets.complete_sets(backup_dest)) == 2
    assert done["removed_sets"]
    opened = sets.open_set(backup_dest, Secret(key_file=key_file))
    assert opened.manifest["name"] == done["set"]
    with pytest.raises(sets.WrongSecret):
        sets.open_set(backup_dest, Secret(passphrase=PASSPHRASE))


@pytest.mark.django_db(transaction=True)
def test_a_stored_file_that_changed_stops_the_backup(
    blob_root: Path, backup_dest: Path, backup_passphrase_file: Path
) -> None:
    sha256 = store_blob(io.BytesIO(b"the original recording")).sha256
    stored = blob_root / sha256[:2] / sha256[2:4] / sha256
    stored.chmod(0o644)
    stored.write_bytes(b"an altered recording!!")
    with pytest.raises(CommandError, match="与其登记不符") as failed:
        _back_up(backup_dest, backup_passphrase_file)
    assert failed.value.returncode == 1
    assert sets.complete_sets(backup_dest) == []
    event = AuditEvent.objects.get(action=BackupEvents.MAKE)
    assert event.outcome == Outcome.FAILED
