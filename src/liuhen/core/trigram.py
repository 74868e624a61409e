"""Trigram indexes for "contains" searches on PostgreSQL (the case register's search).

Django's ``icontains`` is ``UPPER(column) LIKE UPPER('%…%')``: no B-tree index helps it,
so on PostgreSQL every search read the whole table. A GIN index of ``UPPER(column)``
with ``gin_trgm_ops`` (extension pg_trgm, trusted since PostgreSQL 13: the database
owner may create it) answers it. SQLite has no such index; its scans stay fast enough at
the benchmark's size (docs/benchmarks.md).
"""

from __future__ import annotations

from typing import Any

from liuhen.core.writeonce import MigrationFunc


def _name(table: str, column: str) -> str:
    return f"{table}_{column}_trgm"


def index_op(table: str, *columns: str) -> MigrationFunc:
    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for column in columns:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{_name(table, column)}" ON "{table}" '
                f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
            )

    return forwards


def drop_op(table: str, *columns: str) -> MigrationFunc:
    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for column in columns:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{_name(table, column)}"')

    return backwards
