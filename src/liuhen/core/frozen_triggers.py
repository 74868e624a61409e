"""Database triggers that keep an archived case frozen (R18.1).

Once ``cases_case.archived_at`` is set, the database refuses to change or delete the case
row and to insert, change or delete any row that belongs to the case — its activities, AV
links, documents, officers, parties, approvals … — whatever path the write takes (the
actions refuse first and audit the attempt; this catches a path that forgets to ask, or a
SQL console). The one change allowed is the archiving itself: an UPDATE of a case whose
``archived_at`` was still empty.

A dependent table is named with the ways from its row to the case: each way is the column
of the row, then each parent table and the column to follow there, ending at the case's id
(a row that reaches its case in two ways — an AV link to the case or to one of its
activities — names both)::

    FrozenTable("cases_approval", ("request_id", "cases_approvalrequest", "case_id"))

Each table gets three plain row triggers (SQLite) or one row trigger and its function
(PostgreSQL), all named with :data:`PREFIX`; :func:`suspended` drops and restores them for
the test flush (see ``core/management/commands/flush.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper

PREFIX = "liuhen_frozen_"
CASE_TABLE = "cases_case"
MESSAGE = "the case is archived: its records may not be changed (R18.1)"


class FrozenTable:
    def __init__(self, table: str, *ways: tuple[str, ...]) -> None:
        self.table = table
        self.ways = ways or (("case_id",),)
        if any(len(way) % 2 == 0 for way in self.ways):
            raise ValueError(f"{table}: a way is a column, then (table, column) pairs")

    @staticmethod
    def case_of(row: str, way: tuple[str, ...]) -> str:
        """SQL for the case id that ``way`` reaches from the row ``row`` (NEW or OLD)."""
        value = f"{row}.{way[0]}"
        for parent, column in zip(way[1::2], way[2::2], strict=True):
            # Table and column names come from the migrations, never from input.
            value = f"(SELECT {column} FROM {parent} WHERE id = {value})"  # noqa: S608
        return value

    def archived(self, row: str) -> str:
        """SQL: the row ``row`` belongs to an archived case."""
        ids = ", ".join(self.case_of(row, way) for way in self.ways)
        return (
            f"EXISTS (SELECT 1 FROM {CASE_TABLE} WHERE id IN ({ids}) "  # noqa: S608
            "AND archived_at IS NOT NULL)"
        )


def _raise_sqlite(table: str) -> str:
    return f"BEGIN SELECT RAISE(ABORT, '{table}: {MESSAGE}'); END"


def _sqlite_case() -> list[str]:
    return [
        f"CREATE TRIGGER {PREFIX}{CASE_TABLE}_{verb.lower()} BEFORE {verb} ON {CASE_TABLE} "
        f"FOR EACH ROW WHEN OLD.archived_at IS NOT NULL {_raise_sqlite(CASE_TABLE)}"
        for verb in ("UPDATE", "DELETE")
    ]


def _sqlite_dependent(spec: FrozenTable) -> list[str]:
    conditions = {
        "INSERT": spec.archived("NEW"),
        "UPDATE": f"{spec.archived('NEW')} OR {spec.archived('OLD')}",
        "DELETE": spec.archived("OLD"),
    }
    return [
        f"CREATE TRIGGER {PREFIX}{spec.table}_{verb.lower()} BEFORE {verb} ON {spec.table} "
        f"FOR EACH ROW WHEN {condition} {_raise_sqlite(spec.table)}"
        for verb, condition in conditions.items()
    ]


_PG_RAISE = (
    f"RAISE EXCEPTION '%: %', TG_TABLE_NAME, '{MESSAGE}' USING ERRCODE = 'restrict_violation';"
)


def _pg_case() -> list[str]:
    name = f"{PREFIX}{CASE_TABLE}"
    return [
        f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.archived_at IS NOT NULL THEN {_PG_RAISE} END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$;""",
        f"CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {CASE_TABLE} "
        f"FOR EACH ROW EXECUTE FUNCTION {name}()",
    ]


def _pg_dependent(spec: FrozenTable) -> list[str]:
    name = f"{PREFIX}{spec.table}"
    # Nested IFs: NEW is unset on DELETE and OLD on INSERT, so neither is read there.
    return [
        f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        IF {spec.archived("NEW")} THEN {_PG_RAISE} END IF;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        IF {spec.archived("OLD")} THEN {_PG_RAISE} END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$;""",
        f"CREATE TRIGGER {name} BEFORE INSERT OR UPDATE OR DELETE ON {spec.table} "
        f"FOR EACH ROW EXECUTE FUNCTION {name}()",
    ]


def install_sql(vendor: str, tables: Iterable[FrozenTable]) -> list[str]:
    if vendor == "sqlite":
        return _sqlite_case() + [sql for spec in tables for sql in _sqlite_dependent(spec)]
    if vendor == "postgresql":
        return _pg_case() + [sql for spec in tables for sql in _pg_dependent(spec)]
    raise NotImplementedError(f"frozen-case triggers are not written for {vendor}")


def remove_sql(vendor: str, tables: Iterable[FrozenTable]) -> list[str]:
    names = [CASE_TABLE, *(spec.table for spec in tables)]
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {PREFIX}{table}_{verb}"
            for table in names
            for verb in ("insert", "update", "delete")
        ]
    if vendor == "postgresql":
        return [
            statement
            for table in names
            for statement in (
                f"DROP TRIGGER IF EXISTS {PREFIX}{table} ON {table}",
                f"DROP FUNCTION IF EXISTS {PREFIX}{table}()",
            )
        ]
    raise NotImplementedError(f"frozen-case triggers are not written for {vendor}")


def _execute(conn: BaseDatabaseWrapper, statements: Iterable[str]) -> None:
    with conn.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def installed(conn: BaseDatabaseWrapper | None = None) -> list[tuple[str, str, str]]:
    """The frozen-case triggers now in the database: (name, table, definition)."""
    conn = conn or default_connection
    pattern = PREFIX.replace("_", r"\_") + "%"
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            cursor.execute(
                "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE %s ESCAPE '\\'",
                [pattern],
            )
        else:
            cursor.execute(
                "SELECT t.tgname, c.relname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname LIKE %s",
                [pattern],
            )
        return sorted(cursor.fetchall())


@contextmanager
def suspended(conn: BaseDatabaseWrapper | None = None) -> Iterator[None]:
    """Drop the triggers for the duration and put the same ones back (test flushes only)."""
    conn = conn or default_connection
    triggers = installed(conn)
    _execute(
        conn,
        [
            f"DROP TRIGGER IF EXISTS {name}" + ("" if conn.vendor == "sqlite" else f" ON {table}")
            for name, table, _sql in triggers
        ],
    )
    try:
        yield
    finally:
        _execute(conn, [sql for _name, _table, sql in triggers])


def install_op(*tables: FrozenTable) -> Any:
    def forwards(apps: Any, schema_editor: Any) -> None:
        _execute(schema_editor.connection, install_sql(schema_editor.connection.vendor, tables))

    return forwards


def remove_op(*tables: FrozenTable) -> Any:
    def backwards(apps: Any, schema_editor: Any) -> None:
        _execute(schema_editor.connection, remove_sql(schema_editor.connection.vendor, tables))

    return backwards
