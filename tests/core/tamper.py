"""Tampering with the audit tables behind the application's back — tests only (R23.1).

``tampering()`` drops the write-once triggers, yields a cursor for raw SQL, and puts the
triggers back, as an attacker with database access would.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

from liuhen.core import writeonce

TABLES = ("core_auditevent", "core_treehead")


@contextmanager
def tampering() -> Iterator[Any]:
    with writeonce.suspended(TABLES), connection.cursor() as cursor:
        yield cursor


def edit(seq: int, column: str, value: Any) -> None:
    with tampering() as cursor:
        cursor.execute(f"UPDATE core_auditevent SET {column} = %s WHERE seq = %s", [value, seq])  # noqa: S608


def delete(seq: int) -> None:
    with tampering() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE seq = %s", [seq])


def delete_from(seq: int) -> None:
    with tampering() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE seq >= %s", [seq])


COLUMNS = (
    "time", "actor_type", "actor_id", "actor_name", "action", "object_type", "object_id",
    "case_id", "ip", "user_agent", "outcome", "details", "prev_hash", "hash", "sm3",
)  # fmt: skip


def swap(first: int, second: int) -> None:
    """Exchange the contents of two events, each keeping its sequence number."""
    cols = ", ".join(COLUMNS)
    with tampering() as cursor:
        cursor.execute(f"SELECT {cols} FROM core_auditevent WHERE seq = %s", [first])  # noqa: S608
        one = cursor.fetchone()
        cursor.execute(f"SELECT {cols} FROM core_auditevent WHERE seq = %s", [second])  # noqa: S608
        two = cursor.fetchone()
        assignments = ", ".join(f"{col} = %s" for col in COLUMNS)
        # The unique hash column needs a free value in between.
        cursor.execute("UPDATE core_auditevent SET hash = %s WHERE seq = %s", ["x" * 64, first])
        sql = f"UPDATE core_auditevent SET {assignments} WHERE seq = %s"  # noqa: S608
        cursor.execute(sql, [*one, second])
        cursor.execute(sql, [*two, first])
