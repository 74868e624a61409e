"""Findings (R22.1, R23.1): what supervision found wrong, kept as write-once records.

A finding is raised once per ``dedupe_key`` (the scheduler and the events that cause it may
raise the same one again and again); it stays open until a closure row says how it ended —
rectified or dismissed with a reason — so the finding itself never changes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor")
    MAJOR = "major", _("Major")
    SERIOUS = "serious", _("Serious")


class Finding(models.Model):
    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    article = models.CharField(_("article"), max_length=16)
    severity = models.CharField(
        _("severity"), max_length=16, choices=Severity.choices, default=Severity.MAJOR
    )
    summary = models.CharField(_("summary"), max_length=300)
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The record the finding is about (an activity, an AV record, a device …).
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # Links to what shows it: [{"label": …, "object_type": …, "object_id": …}, …]
    evidence = models.JSONField(_("evidence"), default=list, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True)
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now, db_index=True)
    # Empty when the scheduler or an event raised it.
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        indexes = [models.Index(fields=["unit", "raised_at"]), models.Index(fields=["case"])]

    def __str__(self) -> str:
        return self.summary

    @property
    def is_open(self) -> bool:
        return not hasattr(self, "closure")


class ClosedBy(models.TextChoices):
    RECTIFIED = "rectified", _("Rectified")
    DISMISSED = "dismissed", _("Dismissed")


class FindingClosure(models.Model):
    finding = models.OneToOneField(
        Finding, verbose_name=_("finding"), on_delete=models.PROTECT, related_name="closure"
    )
    how = models.CharField(_("how closed"), max_length=16, choices=ClosedBy.choices)
    reason = models.TextField(_("reason"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("time closed"), default=timezone.now)

    class Meta:
        verbose_name = _("finding closure")
        verbose_name_plural = _("finding closures")

    def __str__(self) -> str:
        return f"{self.finding} ({self.get_how_display()})"
