"""The statistics' daily figures (R22.1): counts per unit, officer, local day and metric.

The dashboard never counts the raw tables on a request: the scheduler refreshes these
figures (``supervision.tasks.refresh_statistics``) and the pages sum them over a period.
A figure with no officer is the unit's own count, each thing once; a figure with an
officer is that officer's share (a case with two officers counts once for the unit and
once for each of them).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Metric(models.TextChoices):
    CASE_STAGE = "case_stage", _("Cases by stage")
    CASE_PROCEDURE = "case_procedure", _("Cases by procedure")
    CASE_FIELD = "case_field", _("Cases by field of enforcement")
    AV_COVERAGE = "av_coverage", _("AV coverage of activities that need it")
    UPLOAD_DELAY = "upload_delay", _("Upload timeliness (capture to upload)")
    DOCUMENTS = "documents", _("Document completeness of closed cases")
    DEADLINES = "deadlines", _("Deadline adherence")
    FINDINGS = "findings", _("Findings and their closure")
    DEVICE_USE = "device_use", _("Device checkouts")


class DailyFigure(models.Model):
    day = models.DateField(_("day"))
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    # Empty: the unit's own count.
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    metric = models.CharField(_("metric"), max_length=20, choices=Metric.choices)
    # What is counted within the metric: a stage, a procedure, "covered" …
    dimension = models.CharField(_("dimension"), max_length=64, blank=True)
    value = models.BigIntegerField(_("value"))
    # A month's sum (``day`` is its first day), so a long period sums a few rows a month
    # and reads the days only at its ragged ends.
    monthly = models.BooleanField(_("month's sum"), default=False)

    class Meta:
        verbose_name = _("daily figure")
        verbose_name_plural = _("daily figures")
        indexes = [
            models.Index(fields=["monthly", "day"], name="figure_span_day"),
            models.Index(fields=["monthly", "unit", "day"], name="figure_span_unit_day"),
            models.Index(fields=["monthly", "officer", "day"], name="figure_span_officer_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.metric} {self.dimension} {self.value}"


class FiguresRefresh(models.Model):
    """One refresh of the daily figures: when, how long, how many rows."""

    finished_at = models.DateTimeField(_("refreshed at"), default=timezone.now)
    seconds = models.FloatField(_("seconds"))
    rows = models.PositiveIntegerField(_("rows"))

    class Meta:
        verbose_name = _("statistics refresh")
        verbose_name_plural = _("statistics refreshes")

    def __str__(self) -> str:
        return f"{self.finished_at:%Y-%m-%d %H:%M} ({self.rows})"
