"""Seed statutory holidays and make-up working days (调休) from the chinesecalendar package.

Every year the package knows is marked complete. Later years (2027 onward) are entered by
the system administrator on the calendar page. Idempotent: days already present are kept.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from liuhen.core.calendar_seed import seed as seed_days

    seed_days(
        apps.get_model("core", "CalendarDay"),
        apps.get_model("core", "CalendarYear"),
        using=schema_editor.connection.alias,
    )


def unseed(apps, schema_editor):
    apps.get_model("core", "CalendarDay").objects.filter(source="package").delete()
    apps.get_model("core", "CalendarYear").objects.filter(source="package").delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0003_rules_calendar")]

    operations = [migrations.RunPython(seed, unseed)]
