"""Permission codes of this app: what the access policy is asked, with what people read.

Each code has a rule in this app's or another app's ``policy.py``; a code checked
anywhere must be declared here (``core.access`` refuses an undeclared one)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubjectPerms(models.TextChoices):
    LIST = "subject.list", _("List enforcement subjects")
    VIEW = "subject.view", _("View enforcement subject")
    CREATE = "subject.create", _("Enter enforcement subject")
    CHANGE = "subject.change", _("Change enforcement subject")
    MERGE = "subject.merge", _("Merge enforcement subjects")
    VIEW_IDENTIFIER = "subject.view_identifier", _("Show full ID number")
    EXPORT_FILE = "subject.export_file", _("Export the subject's file")
