"""The audit event codes this app writes, with what people read in the log."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ArchiveEvents(models.TextChoices):
    ASSEMBLE = "archive.assemble", _("Assemble case file")
    BIND = "archive.bind", _("Bind case file as one sealed PDF")
    REORDER = "archive.reorder", _("Reorder case file catalogue")
    ANNOTATE = "archive.annotate", _("Annotate case file")
    ARCHIVE = "archive.archive", _("Archive case file")
    READ_BOUND = "archive.read_bound", _("Open the bound case file")
    NUMBERING = "archive.numbering", _("Change archive number pattern")
