"""Write-once tables: database triggers that reject UPDATE and DELETE (R1.1, R23.1).

The application never changes such rows; the triggers make the database refuse it too,
so an edit through a SQL console fails loudly instead of silently breaking the chain.
(Anyone who can drop triggers can still tamper — that is what the hash chain and the
signed tree heads detect.) Other apps' write-once tables use the same helpers in their
migrations: ``migrations.RunPython(install_op("app_table"), remove_op("app_table"))``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper

PREFIX = "liuhen_write_once_"
_MESSAGE = "write-once table: rows may not be changed or deleted (R1.1)"

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION liuhen_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%: %', TG_TABLE_NAME, '{_MESSAGE}' USING ERRCODE = 'restrict_violation';
END
$$;
"""


def _names(table: str) -> tuple[str, str, str]:
    return f"{PREFIX}{table}_update", f"{PREFIX}{table}_delete", f"{PREFIX}{table}_truncate"


def install_sql(vendor: str, table: str) -> list[str]:
    update, delete, truncate = _names(table)
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER {name} BEFORE {verb} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table}: {_MESSAGE}'); END"
            for name, verb in ((update, "UPDATE"), (delete, "DELETE"))
        ]
    if vendor == "postgresql":
        return [
            _PG_FUNCTION,
            f"CREATE TRIGGER {update} BEFORE UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION liuhen_reject_change()",
            f"CREATE TRIGGER {delete} BEFORE DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION liuhen_reject_change()",
            # TRUNCATE skips row triggers, so it needs its own.
            f"CREATE TRIGGER {truncate} BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION liuhen_reject_change()",
        ]
    raise NotImplementedError(f"write-once triggers are not written for {vendor}")


def remove_sql(vendor: str, table: str) -> list[str]:
    update, delete, truncate = _names(table)
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name}" for name in (update, delete)]
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {name} ON {table}" for name in (update, delete, truncate)]
    raise NotImplementedError(f"write-once triggers are not written for {vendor}")


def install(conn: BaseDatabaseWrapper, tables: Iterable[str]) -> None:
    with conn.cursor() as cursor:
        for table in tables:
            for statement in install_sql(conn.vendor, table):
                cursor.execute(statement)


def remove(conn: BaseDatabaseWrapper, tables: Iterable[str]) -> None:
    with conn.cursor() as cursor:
        for table in tables:
            for statement in remove_sql(conn.vendor, table):
                cursor.execute(statement)


def protected_tables(conn: BaseDatabaseWrapper | None = None) -> list[str]:
    """Tables that carry write-once triggers now (read from the database's catalogue)."""
    conn = conn or default_connection
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            cursor.execute(
                "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE %s",
                [PREFIX + "%"],
            )
        else:
            cursor.execute(
                "SELECT DISTINCT c.relname FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname LIKE %s",
                [PREFIX + "%"],
            )
        return sorted(row[0] for row in cursor.fetchall())


@contextmanager
def suspended(
    tables: Iterable[str] | None = None, conn: BaseDatabaseWrapper | None = None
) -> Iterator[list[str]]:
    """Drop the triggers for the duration, then put them back (tests and test flushes only)."""
    conn = conn or default_connection
    names = list(tables) if tables is not None else protected_tables(conn)
    remove(conn, names)
    try:
        yield names
    finally:
        install(conn, names)


# --- migration operations ------------------------------------------------------------

MigrationFunc = Callable[[Any, Any], None]


def install_op(*tables: str) -> MigrationFunc:
    def forwards(apps: Any, schema_editor: Any) -> None:
        install(schema_editor.connection, tables)

    return forwards


def remove_op(*tables: str) -> MigrationFunc:
    def backwards(apps: Any, schema_editor: Any) -> None:
        remove(schema_editor.connection, tables)

    return backwards
