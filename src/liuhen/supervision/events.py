"""The audit event codes this app writes, with what people read in the log."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FindingEvents(models.TextChoices):
    RAISE = "finding.raise", _("Raise finding")
    CLOSE = "finding.close", _("Close finding")


class StatisticsEvents(models.TextChoices):
    REFRESH = "statistics.refresh", _("Refresh statistics")
    EXPORT = "statistics.export", _("Export statistics")
    ANNUAL_REPORT = "statistics.annual_report", _("Make the annual report")
