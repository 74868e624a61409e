from django.db import migrations


class Migration(migrations.Migration):
    """The supervision app's first migration; its areas' tables follow in their own."""

    initial = True
    dependencies = []
    operations = []
