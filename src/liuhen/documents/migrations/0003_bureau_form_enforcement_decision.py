"""A bureau form no longer says whether it "may be served by e-mail" but whether it is an
enforcement decision 行政执法决定书 (regulation Art. 10(四)): the forms the administrator had
barred from e-mail were the decisions, so they keep their bar, now on every electronic
channel."""

from django.db import migrations, models


def barred_from_email_are_decisions(apps, schema_editor):
    FormDefinition = apps.get_model("documents", "FormDefinition")
    FormDefinition.objects.filter(email_service=False).update(enforcement_decision=True)


def decisions_barred_from_email(apps, schema_editor):
    FormDefinition = apps.get_model("documents", "FormDefinition")
    FormDefinition.objects.filter(enforcement_decision=True).update(email_service=False)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_bureau_form_email_service"),
    ]

    operations = [
        migrations.AddField(
            model_name="formdefinition",
            name="enforcement_decision",
            field=models.BooleanField(default=False, verbose_name="enforcement decision"),
        ),
        migrations.RunPython(barred_from_email_are_decisions, decisions_barred_from_email),
        migrations.RemoveField(
            model_name="formdefinition",
            name="email_service",
        ),
    ]
