"""The audit event codes of 调阅 (R21.1). A read under a grant is recorded by the app that
serves it (the case, document or AV event), naming the grant in its details."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RetrievalEvents(models.TextChoices):
    FILE = "retrieval.file", _("File a retrieval request")
    GRANT = "retrieval.grant", _("Grant a retrieval request")
    REFUSE = "retrieval.refuse", _("Refuse a retrieval request")
    REVOKE = "retrieval.revoke", _("Revoke a retrieval grant")
