"""The audit event codes this app writes, with what people read in the log."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleEvents(models.TextChoices):
    SET = "rule.set", _("Change legal rule")
    RESET = "rule.reset", _("Reset legal rule to default")


class CalendarEvents(models.TextChoices):
    DAY_SET = "calendar.day_set", _("Enter holiday or make-up working day")
    DAY_REMOVE = "calendar.day_remove", _("Remove holiday or make-up working day")
    YEAR_SET = "calendar.year_set", _("Mark holiday data of a year")


class AuditLogEvents(models.TextChoices):
    VIEW = "audit.view", _("View audit log")
    SIGN = "audit.sign", _("Sign tree head")
    VERIFY = "audit.verify", _("Verify audit log")
    EXPORT = "audit.export", _("Export audit log")
    ROTATE_KEY = "audit.rotate_key", _("Change audit signing key")
    WITNESS = "audit.witness", _("Announce tree head to witness")


class BlobEvents(models.TextChoices):
    FIXITY = "blob.fixity", _("Check stored files' fixity")
    REPLICATE = "blob.replicate", _("Replicate stored files")


class BackupEvents(models.TextChoices):
    MAKE = "backup.make", _("Make a backup set")
    RESTORE = "backup.restore", _("Restore from a backup set")
