"""Query codes and push notices are write-once (R19.1), and belong to their case, frozen
with it once it is archived (R18.1)."""

from typing import Any

from django.db import migrations

from liuhen.core import frozen_triggers, writeonce
from liuhen.core.frozen_triggers import FrozenTable

WRITE_ONCE = ("delivery_partyquerycode", "delivery_pushnotice")
FROZEN = tuple(FrozenTable(table) for table in WRITE_ONCE)


def _ours(schema_editor: Any, statements: list[str]) -> None:
    # Only these tables' triggers: the case row's own are the archives migration's.
    with schema_editor.connection.cursor() as cursor:
        for sql in statements:
            if any(table in sql for table in WRITE_ONCE):
                cursor.execute(sql)


def freeze(apps: Any, schema_editor: Any) -> None:
    _ours(schema_editor, frozen_triggers.install_sql(schema_editor.connection.vendor, FROZEN))


def unfreeze(apps: Any, schema_editor: Any) -> None:
    _ours(schema_editor, frozen_triggers.remove_sql(schema_editor.connection.vendor, FROZEN))


class Migration(migrations.Migration):
    dependencies = [
        ("delivery", "0002_party_query_codes"),
        ("archives", "0003_frozen_case_triggers"),
    ]

    operations = [
        migrations.RunPython(writeonce.install_op(*WRITE_ONCE), writeonce.remove_op(*WRITE_ONCE)),
        migrations.RunPython(freeze, unfreeze),
    ]
