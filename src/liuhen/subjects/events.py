"""The audit event codes this app writes, with what people read in the log."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubjectEvents(models.TextChoices):
    CREATE = "subject.create", _("Enter enforcement subject")
    CHANGE = "subject.change", _("Change enforcement subject")
    MERGE = "subject.merge", _("Merge enforcement subjects")
    VIEW_IDENTIFIER = "subject.view_identifier", _("Show full ID number")
    EXPORT_FILE = "subject.export_file", _("Export the subject's file")
    SET_OWNER = "subject.set_owner", _("Set the owner of a vehicle or project")
    LICENCE_ADD = "subject.licence_add", _("Enter a licence of a subject")
    LICENCE_FETCH = "subject.licence_fetch", _("Fetch licences from the data exchange")
    SUBJECT_LOOKUP = "subject.exchange_lookup", _("Look a subject up in the data exchange")
