"""The audit event codes this app writes, with what people read in the log."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TokenEvents(models.TextChoices):
    CREATE = "token.create", _("Create API token")
    REVOKE = "token.revoke", _("Revoke API token")


class ApiEvents(models.TextChoices):
    AUTH_FAILED = "api.auth_failed", _("API token refused")
