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


class ArchivePackageEvents(models.TextChoices):
    # The package's manifest digest enters the log before the package is written, so the
    # package carries that event and its inclusion proof: the log vouches for the package.
    SEAL = "archive_package.seal", _("Commit an archive package's manifest to the log")
    BUILD = "archive_package.build", _("Build the archive package of a case")
    EXPORT = "archive_package.export", _("Export an archive package for transfer")


class ArchiveDisposalEvents(models.TextChoices):
    DESTROY_REQUEST = "archive_disposal.request", _("Ask to destroy case files")
    DESTROY_DECIDE = "archive_disposal.decide", _("Decide on destroying case files")
    DESTROY = "archive_disposal.destroy", _("Destroy a case file")
    TRANSFER = "archive_disposal.transfer", _("Hand case files over to the archive")
