"""Permission codes of this app: what the access policy is asked, with what people read.

Each code has a rule in ``policy.py``; a code checked anywhere must be declared here
(``core.access`` refuses an undeclared one)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ArchivePerms(models.TextChoices):
    QUEUE = "archive.queue", _("List closed cases awaiting archiving")
    VIEW = "archive.view", _("View a case file")
    ASSEMBLE = "archive.assemble", _("Assemble a case file")
    REVIEW = "archive.review", _("Reorder and annotate a case file")
    ARCHIVE = "archive.archive", _("Archive a case file")


class ArchivePackagePerms(models.TextChoices):
    BUILD = "archive_package.build", _("Build the archive package of a case")
    EXPORT = "archive_package.export", _("Export archive packages for transfer")


class ArchiveDisposalPerms(models.TextChoices):
    DESTROY_REQUEST = "archive_disposal.request", _("Ask to destroy case files past retention")
    DESTROY_DECIDE = "archive_disposal.decide", _("Decide on destroying case files")
    DESTROY_VIEW = "archive_disposal.view", _("View case file destruction requests")
    TRANSFER = "archive_disposal.transfer", _("Hand case files over to the archive")
