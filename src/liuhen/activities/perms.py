"""Permission codes of this app: what the access policy is asked, with what people read.

Each code has a rule in this app's or another app's ``policy.py``; a code checked
anywhere must be declared here (``core.access`` refuses an undeclared one)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityPerms(models.TextChoices):
    RECORD = "activity.record", _("Record enforcement activity")
    VIEW = "activity.view", _("View enforcement activity")


class AvExemptionPerms(models.TextChoices):
    REQUEST = "av_exemption.request", _("Request exemption from AV recording")
