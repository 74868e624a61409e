"""PostgreSQL: trigram indexes for the register's search by number and title (issue 3)."""

from django.db import migrations

from liuhen.core.trigram import drop_op, index_op


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_experts_and_approval_ref")]

    operations = [
        migrations.RunPython(
            index_op("cases_case", "number", "title"), drop_op("cases_case", "number", "title")
        )
    ]
