"""A consistent snapshot of the running database, and loading one into an empty database.

SQLite: the online backup API copies the database as it stood when the copy began, while
writers go on in the WAL. PostgreSQL: a repeatable-read transaction exports its snapshot;
``pg_dump --snapshot`` dumps exactly that snapshot, and the blob digests are read in the
same transaction — so the set holds the blobs its database records, no more, no fewer.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from django.db import connections

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
# The blobs the store must hold: all recorded ones but those an approved disposal removed
# and whose bytes did not come in again (``core.models.removed_blobs``).
_BLOB_ROWS = (
    "SELECT b.sha256, b.size FROM core_blob b WHERE NOT EXISTS ("
    " SELECT 1 FROM core_blobremoval r LEFT JOIN core_blobrestore s ON s.removal_id = r.id"
    " WHERE r.blob_id = b.sha256 AND s.id IS NULL"
    ") ORDER BY b.sha256"
)


class DatabaseError(Exception):
    pass


@dataclass
class Snapshot:
    vendor: str
    blobs: list[tuple[str, int]] = field(default_factory=list)  # (sha256, size)


def _settings(alias: str = "default") -> dict[str, Any]:
    return dict(connections[alias].settings_dict)


def vendor(alias: str = "default") -> str:
    return SQLITE if connections[alias].vendor == "sqlite" else POSTGRESQL


def _pg_env(config: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if config.get(key):
            env[variable] = str(config[key])
    return env


def _pg_connect(config: dict[str, Any]) -> psycopg.Connection[Any]:
    return psycopg.connect(
        host=config.get("HOST") or None,
        port=str(config["PORT"]) if config.get("PORT") else None,
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        dbname=config["NAME"],
    )


def snapshot(into: Path, alias: str = "default") -> Snapshot:
    """Write the database as it stands now to ``into``; return what it records."""
    config = _settings(alias)
    if vendor(alias) == SQLITE:
        return _sqlite_snapshot(Path(config["NAME"]), into)
    return _postgres_snapshot(config, into)


def _sqlite_snapshot(live: Path, into: Path) -> Snapshot:
    source = sqlite3.connect(live, timeout=60)
    target = sqlite3.connect(into)
    try:
        source.backup(target)  # one step: the database as of its start
        rows = [(row[0], int(row[1])) for row in target.execute(_BLOB_ROWS)]
    finally:
        target.close()
        source.close()
    return Snapshot(SQLITE, rows)


def _postgres_snapshot(config: dict[str, Any], into: Path) -> Snapshot:
    with _pg_connect(config) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        row = conn.execute("SELECT pg_export_snapshot()").fetchone()
        assert row is not None
        rows = [(found[0], int(found[1])) for found in conn.execute(_BLOB_ROWS)]
        # The exporting transaction stays open until pg_dump has its snapshot.
        done = subprocess.run(
            ["pg_dump", "--format=custom", f"--snapshot={row[0]}", f"--file={into}"],
            env=_pg_env(config),
            capture_output=True,
            text=True,
        )
        conn.rollback()
    if done.returncode != 0:
        raise DatabaseError(f"pg_dump failed: {done.stderr.strip()}")
    return Snapshot(POSTGRESQL, rows)


def is_empty(alias: str = "default") -> bool:
    """No table yet: a database a restore may fill."""
    config = _settings(alias)
    if vendor(alias) == SQLITE:
        path = Path(config["NAME"])
        if not path.exists() or path.stat().st_size == 0:
            return True
        with sqlite3.connect(path) as conn:
            return conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    with _pg_connect(config) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_tables"
            " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        ).fetchone()
        return row is not None and row[0] == 0


def load(dump: Path, alias: str = "default") -> None:
    """Load a snapshot into the (empty) database of ``alias``."""
    config = _settings(alias)
    connections[alias].close()
    if vendor(alias) == SQLITE:
        live = Path(config["NAME"])
        live.parent.mkdir(parents=True, exist_ok=True)
        for leftover in (Path(f"{live}-wal"), Path(f"{live}-shm"), live):
            leftover.unlink(missing_ok=True)
        shutil.move(dump, live)
        return
    done = subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={config['NAME']}",
            str(dump),
        ],
        env=_pg_env(config),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise DatabaseError(f"pg_restore failed: {done.stderr.strip()}")
