"""Focused guidance 重点指导督办 (制度第二十二条): a unit listed because it crossed a threshold
or by a supervisor's decision, with its guidance plan and the follow-up rows. Write-once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ListedBy(models.TextChoices):
    THRESHOLD = "threshold", _("Threshold crossed")
    MANUAL = "manual", _("Supervisor's decision")


class GuidanceEntry(models.Model):
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    listed_by = models.CharField(_("listed by"), max_length=16, choices=ListedBy.choices)
    reason = models.TextField(_("reason"))
    # The figures that crossed their thresholds when listed: {"metric": value, …}
    metrics = models.JSONField(_("figures"), default=dict, blank=True)
    plan = models.TextField(_("guidance plan"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("listed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("listed at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("guidance entry")
        verbose_name_plural = _("guidance entries")

    def __str__(self) -> str:
        return f"{self.unit} · {self.created_at:%Y-%m-%d}"


class GuidanceFollowUp(models.Model):
    entry = models.ForeignKey(
        GuidanceEntry,
        verbose_name=_("guidance entry"),
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    note = models.TextField(_("follow-up"))
    # The last follow-up of a unit that no longer needs focused guidance.
    concludes = models.BooleanField(_("guidance concluded"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("guidance follow-up")
        verbose_name_plural = _("guidance follow-ups")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.entry} · {self.recorded_at:%Y-%m-%d}"
