"""Raw AV retention is counted in months (不少于六个月, regulation Art. 18), under the rule
``av_raw_retention_months``. A retention the administrator had set in days under the old
rule ``av_raw_retention`` carries over as the fewest whole months that are never shorter,
so no record becomes a disposal candidate earlier than configured."""

import calendar

from django.db import migrations

OLD, NEW = "av_raw_retention", "av_raw_retention_months"
FLOOR_MONTHS = 6


def _shortest(months: int) -> int:
    """The fewest days ``months`` consecutive calendar months can hold (any start)."""
    lengths = []
    for start in range(12 * 4):  # every start month over a leap cycle
        year, month = 2024 + start // 12, start % 12 + 1
        total = 0
        for step in range(months):
            index = month - 1 + step
            total += calendar.monthrange(year + index // 12, index % 12 + 1)[1]
        lengths.append(total)
    return min(lengths)


def months_for(days: int) -> int:
    months = FLOOR_MONTHS
    while _shortest(months) < days:
        months += 1
    return months


def carry_over(apps, schema_editor):
    RuleOverride = apps.get_model("core", "RuleOverride")
    latest = RuleOverride.objects.filter(key=OLD).order_by("-id").first()
    if latest is None or latest.value is None:
        return
    days = int(latest.value)
    months = months_for(days)
    if months == FLOOR_MONTHS:
        return  # the default of the new rule keeps at least as long
    RuleOverride.objects.create(
        key=NEW,
        value=months,
        reason=f"保存期限改按月计算（制度第十八条：不少于六个月）：原设 {days} 日，折合 {months} 个月",
        changed_by=latest.changed_by,
        changed_by_name=latest.changed_by_name,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("media", "0001_initial"),
        ("core", "0007_blob_sm3_and_removal"),
    ]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]
