"""Permission codes of 调阅 (R21.1): what the access policy is asked, with what people read."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RetrievalPerms(models.TextChoices):
    FILE = "retrieval.file", _("File a retrieval request")
    LIST = "retrieval.list", _("List retrieval requests")
    VIEW = "retrieval.view", _("View a retrieval request")
    DECIDE = "retrieval.decide", _("Grant or refuse a retrieval request")
    REVOKE = "retrieval.revoke", _("Revoke a retrieval grant")
