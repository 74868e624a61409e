"""PostgreSQL: a trigram index for the register's search by party name (issue 3)."""

from django.db import migrations

from liuhen.core.trigram import drop_op, index_op


class Migration(migrations.Migration):
    dependencies = [("subjects", "0001_initial")]

    operations = [
        migrations.RunPython(
            index_op("subjects_subject", "name"), drop_op("subjects_subject", "name")
        )
    ]
