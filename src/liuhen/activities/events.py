"""The audit event codes this app writes, with what people read in the log."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityEvents(models.TextChoices):
    RECORD = "activity.record", _("Record enforcement activity")
    VIEW = "activity.view", _("View enforcement activity")


class AvExemptionEvents(models.TextChoices):
    REQUEST = "av_exemption.request", _("Request exemption from AV recording")
