"""The audit event codes this app writes, with what people read in the log."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MediaEvents(models.TextChoices):
    UPLOAD = "media.upload", _("Upload AV record")
    INGEST = "media.ingest", _("Store AV record")
    VIEW = "media.view", _("View AV record")
    PLAY = "media.play", _("Play AV record")
    DOWNLOAD = "media.download", _("Download AV record")
    LINK = "media.link", _("Link AV record")
    UNLINK = "media.unlink", _("Withdraw AV link")
    MARK = "media.mark", _("Mark AV record important")
    LABEL = "media.label", _("Label AV record")
    PROBE = "media.probe", _("Read AV file properties")
    QUARANTINE = "media.quarantine", _("Quarantine a file that is no recording")
    MODIFY = "media.modify", _("Attempt to change or delete AV record")
    EXPORT = "media.export", _("Export AV register")
    DISPOSE_REQUEST = "media.dispose_request", _("Ask to dispose of AV records")
    DISPOSE_DECIDE = "media.dispose_decide", _("Decide on AV disposal")
    DISPOSE = "media.dispose", _("Dispose of AV record")
    DOCK_IMPORT = "media.dock_import", _("Import from collection station")
    UPLOAD_TERMINATE = "media.upload_terminate", _("Cancel upload")
