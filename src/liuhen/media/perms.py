"""Permission codes of this app: what the access policy is asked, with what people read.

Each code has a rule in this app's or another app's ``policy.py``; a code checked
anywhere must be declared here (``core.access`` refuses an undeclared one)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MediaPerms(models.TextChoices):
    UPLOAD = "media.upload", _("Upload AV record")
    LIST = "media.list", _("List AV records")
    VIEW = "media.view", _("View AV record")
    PLAY = "media.play", _("Play AV record")
    DOWNLOAD = "media.download", _("Download AV record")
    LINK = "media.link", _("Link AV record")
    MARK = "media.mark", _("Mark AV record important")
    LABEL = "media.label", _("Label AV record")
    DISPOSE_REQUEST = "media.dispose_request", _("Ask to dispose of AV records")
    DISPOSE_DECIDE = "media.dispose_decide", _("Decide on AV disposal")
    DISPOSE_VIEW = "media.dispose_view", _("View AV disposal requests")
    INTEGRITY = "media.integrity", _("View integrity findings")
