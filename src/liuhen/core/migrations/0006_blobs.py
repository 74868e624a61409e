"""The blob store's table (``core.Blob``), write-once like the audit log (R14.1)."""

import django.utils.timezone
from django.db import migrations, models

from liuhen.core.writeonce import install_op, remove_op


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_notifications"),
    ]

    operations = [
        migrations.CreateModel(
            name="Blob",
            fields=[
                (
                    "sha256",
                    models.CharField(
                        max_length=64, primary_key=True, serialize=False, verbose_name="SHA-256"
                    ),
                ),
                ("sm3", models.CharField(max_length=64, verbose_name="SM3 hash")),
                ("size", models.BigIntegerField(verbose_name="size in bytes")),
                ("backend", models.CharField(max_length=16, verbose_name="storage backend")),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="created at"
                    ),
                ),
            ],
            options={
                "verbose_name": "stored file",
                "verbose_name_plural": "stored files",
                "ordering": ["created_at", "sha256"],
            },
        ),
        migrations.RunPython(install_op("core_blob"), remove_op("core_blob")),
    ]
