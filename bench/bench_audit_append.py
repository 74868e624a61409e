"""Audit log appends: events per second, one transaction each as actions write them, next to
a raw INSERT of the same row (same table shape and indexes, same connection, same
``synchronous`` setting) in the same run — the reference for what the chain itself costs.

The raw rows go to a scratch copy of the table, dropped at the end, so the audit chain of
the benchmark database stays intact for ``audit_verify``.
"""

from __future__ import annotations

import hashlib
import os
import re
from typing import Any

from bench.harness import timer

NAME = "audit_append"
DESCRIPTION = "audit events appended per second (one transaction each) vs raw INSERT"
COUNTS = tuple(int(n) for n in os.environ.get("LIUHEN_BENCH_APPEND_COUNTS", "200,2000").split(","))
_SCRATCH = "bench_raw_auditevent"
_BLOCK = 50


def run() -> list[dict[str, Any]]:
    from django.db import connection, transaction

    from liuhen.core import audit

    setting = _synchronous(connection)
    rows = []
    _create_scratch(connection)
    try:
        for count in COUNTS:
            appended = raw = 0.0
            # Interleaved in small blocks: on a shared machine the disk's sync time drifts,
            # and both sides should see the same disk.
            for start in range(0, count, _BLOCK):
                block = min(_BLOCK, count - start)
                with timer() as elapsed:
                    for index in range(start, start + block):
                        with transaction.atomic(durable=True):
                            audit.record("case.view", object_type="cases.case", object_id=index)
                appended += elapsed["seconds"]
                with timer() as elapsed:
                    _raw_inserts(connection, block)
                raw += elapsed["seconds"]
            rows.append(
                {
                    "events": count,
                    "synchronous": setting,
                    "audit_per_second": count / appended,
                    "raw_insert_per_second": count / raw,
                    "ratio": raw / appended,
                    "target": ">= 0.5",
                }
            )
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {_SCRATCH}")
    return rows


def _synchronous(connection: Any) -> str:
    if connection.vendor != "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return f"synchronous_commit={cursor.fetchone()[0]}"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        level = cursor.fetchone()[0]
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    return {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}[level] + f" ({mode})"


def _create_scratch(connection: Any) -> None:
    """An empty copy of the audit table with its indexes (the insert maintains them too)."""
    with connection.cursor() as cursor:
        if connection.vendor != "sqlite":
            cursor.execute(f"CREATE TABLE {_SCRATCH} (LIKE core_auditevent INCLUDING ALL)")
            return
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'core_auditevent' "
            "AND type IN ('table', 'index') AND sql IS NOT NULL ORDER BY type DESC"
        )
        for (sql,) in cursor.fetchall():
            sql = re.sub(r'INDEX "([^"]+)"', r'INDEX "bench_\1"', sql)
            cursor.execute(sql.replace('"core_auditevent"', f'"{_SCRATCH}"'))


def _raw_inserts(connection: Any, count: int) -> None:
    """The row ``audit.record`` writes, as one INSERT per transaction."""
    from django.db import transaction
    from django.utils import timezone

    start = _next_seq(connection)
    columns = (
        "seq, time, actor_type, actor_id, actor_name, action, object_type, object_id, "
        "case_id, ip, user_agent, outcome, details, prev_hash, hash, sm3"
    )
    values = ", ".join(["%s"] * 16)
    sql = f"INSERT INTO {_SCRATCH} ({columns}) VALUES ({values})"  # noqa: S608 - constants
    previous = "0" * 64
    for index in range(count):
        digest = hashlib.sha256(f"{start}-{index}".encode()).hexdigest()
        with transaction.atomic(durable=True), connection.cursor() as cursor:
            cursor.execute(
                sql,
                [
                    start + index, timezone.now(), "system", "", "system", "case.view",
                    "cases.case", str(index), None, "", "", "ok", "{}", previous, digest, digest,
                ],
            )  # fmt: skip
        previous = digest


def _next_seq(connection: Any) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(seq), 0) + 1 FROM {_SCRATCH}")  # noqa: S608
        return int(cursor.fetchone()[0])
