"""Triggers that reject UPDATE and DELETE on the audit tables (R1.1, R23.1).

SQLite gets BEFORE UPDATE/DELETE triggers that RAISE(ABORT); PostgreSQL gets row
triggers plus a TRUNCATE trigger calling liuhen_reject_change(). The SQL branches on
schema_editor.connection.vendor inside liuhen.core.writeonce.
"""

from django.db import migrations

from liuhen.core.writeonce import install_op, remove_op

TABLES = ("core_auditevent", "core_treehead")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(install_op(*TABLES), remove_op(*TABLES))]
