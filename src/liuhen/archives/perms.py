"""Permission codes of this app: what the access policy is asked, with what people read.

Each code has a rule in this app's ``policy.py``; a code checked anywhere must be declared
here (``core.access`` refuses an undeclared one)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ArchivePackagePerms(models.TextChoices):
    BUILD = "archive_package.build", _("Build the archive package of a case")
    EXPORT = "archive_package.export", _("Export archive packages for transfer")
