"""Permission codes of this app: what the access policy is asked, with what people read.

Each code has a rule in ``policy.py``; one class per area of supervision."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SupervisionHomePerms(models.TextChoices):
    HOME = "supervision.home", _("Open the supervisor's home")


class StatisticsPerms(models.TextChoices):
    VIEW = "statistics.view", _("View enforcement statistics")
    EXPORT = "statistics.export", _("Export enforcement statistics")
    ANNUAL_REPORT = "statistics.annual_report", _("Make the annual report")
