"""An AV record keeps the capture time given at upload beside the capture time (the file's
own, when it has one), and whether its recorder was checked out to the uploader at the
capture time (R14.1).

The records made before kept the time given as their capture time: it is also their
given time. Their checkout problem is worked out from the ledger as it stands. The table
is write-once: its triggers are off while the columns are added and filled, and back on
at the end (SQLite rebuilds the table for a column with a default, dropping them).
"""

from django.db import migrations, models

from liuhen.core.writeonce import install_op, remove_op

TABLE = "media_avrecord"


def _problem(LedgerEntry, record):
    if record.device_id is None or record.captured_at is None:
        return ""
    checkout = (
        LedgerEntry.objects.filter(
            device_id=record.device_id, kind="checkout", at__lte=record.captured_at
        )
        .order_by("-at", "-id")
        .first()
    )
    returned = (
        checkout is not None
        and LedgerEntry.objects.filter(
            kind="return", checkout=checkout, at__lte=record.captured_at
        ).exists()
    )
    if checkout is None or returned or checkout.holder_id is None:
        return "not_checked_out"
    if record.uploaded_by_id is not None and record.uploaded_by_id != checkout.holder_id:
        return "other_uploader"
    return ""


def fill(apps, schema_editor):
    AvRecord = apps.get_model("media", "AvRecord")
    LedgerEntry = apps.get_model("devices", "LedgerEntry")
    AvRecord.objects.update(declared_captured_at=models.F("captured_at"))
    for record in AvRecord.objects.filter(device__isnull=False, captured_at__isnull=False):
        problem = _problem(LedgerEntry, record)
        if problem:
            AvRecord.objects.filter(pk=record.pk).update(checkout_problem=problem)


class Migration(migrations.Migration):
    dependencies = [
        ("media", "0002_av_retention_in_months"),
        ("devices", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(remove_op(TABLE), install_op(TABLE)),
        migrations.AddField(
            model_name="avrecord",
            name="checkout_problem",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "None"),
                    ("not_checked_out", "Recorder not checked out at the capture time"),
                    ("other_uploader", "Uploaded by someone other than the holder"),
                ],
                default="",
                max_length=20,
                verbose_name="checkout problem",
            ),
        ),
        migrations.AddField(
            model_name="avrecord",
            name="declared_captured_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="capture time given at upload"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(install_op(TABLE), remove_op(TABLE)),
    ]
