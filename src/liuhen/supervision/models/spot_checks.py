"""Spot checks of recorders and footage (R22.3).

A plan names the period (a month or a quarter), the units and the sample size per unit.
Drawing its sample writes one row per unit with the seed and the digest of the population
it was drawn from, so anyone can recompute it; each sampled AV record is an item, and a
reviewer's review of it (the Art. 13 checklist, the Art. 14 prohibitions, the score) is
one row. Samples, items and reviews are write-once.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PlanPeriod(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class SpotCheckPlan(models.Model):
    title = models.CharField(_("plan title"), max_length=200)
    period = models.CharField(_("check period"), max_length=12, choices=PlanPeriod.choices)
    # The first day of the month or quarter the footage was captured in.
    period_start = models.DateField(_("period starts"))
    units = models.ManyToManyField(
        "accounts.Unit", verbose_name=_("units"), related_name="+", blank=False
    )
    sample_count = models.PositiveIntegerField(_("records per unit"), null=True, blank=True)
    sample_percent = models.PositiveSmallIntegerField(
        _("percentage per unit"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("spot-check plan")
        verbose_name_plural = _("spot-check plans")
        ordering = ["-period_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sample_count__isnull=False) ^ Q(sample_percent__isnull=False),
                name="spot_check_plan_one_size",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def period_end(self) -> dt.date:
        """The day after the period (exclusive)."""
        months = 3 if self.period == PlanPeriod.QUARTERLY else 1
        month = self.period_start.month - 1 + months
        return dt.date(self.period_start.year + month // 12, month % 12 + 1, 1)

    @property
    def size_display(self) -> str:
        if self.sample_percent is not None:
            return f"{self.sample_percent}%"
        return str(self.sample_count)


class SpotCheckSample(models.Model):
    plan = models.ForeignKey(
        SpotCheckPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="samples"
    )
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    seed = models.BigIntegerField(_("seed"))
    population_digest = models.CharField(_("digest of the population"), max_length=64)
    population_size = models.PositiveIntegerField(_("population"))
    size = models.PositiveIntegerField(_("sample size"))
    record_ids = models.JSONField(_("sampled records"), default=list)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drawn by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    drawn_at = models.DateTimeField(_("drawn at"), default=timezone.now)

    class Meta:
        verbose_name = _("spot-check sample")
        verbose_name_plural = _("spot-check samples")
        constraints = [
            models.UniqueConstraint(fields=["plan", "unit"], name="spot_check_sample_once")
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.unit}"


class SpotCheckItem(models.Model):
    sample = models.ForeignKey(
        SpotCheckSample, verbose_name=_("sample"), on_delete=models.PROTECT, related_name="items"
    )
    record = models.ForeignKey(
        "media.AvRecord", verbose_name=_("AV record"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("sampled AV record")
        verbose_name_plural = _("sampled AV records")
        ordering = ["sample", "record_id"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "record"], name="spot_check_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.sample} · AV-{self.record_id}"

    def review_or_none(self) -> SpotCheckReview | None:
        try:
            return self.review
        except SpotCheckReview.DoesNotExist:
            return None


class Answer(models.TextChoices):
    FILMED = "filmed", _("Filmed")
    MISSING = "missing", _("Missing")
    NOT_APPLICABLE = "na", _("Not applicable")


class SpotCheckReview(models.Model):
    item = models.OneToOneField(
        SpotCheckItem,
        verbose_name=_("sampled AV record"),
        on_delete=models.PROTECT,
        related_name="review",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("checked at"), default=timezone.now)
    activity_type = models.CharField(_("activity type"), max_length=64, blank=True)
    # {Art. 13 item code: Answer}
    answers = models.JSONField(_("checklist"), default=dict)
    # The Art. 14 prohibitions the reviewer saw breached (item codes).
    prohibitions = models.JSONField(_("prohibited acts seen"), default=list)
    score = models.PositiveSmallIntegerField(_("score"))
    passed = models.BooleanField(_("passed"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("spot-check review")
        verbose_name_plural = _("spot-check reviews")
        indexes = [models.Index(fields=["reviewed_at"])]

    def __str__(self) -> str:
        return f"{self.item} · {self.score}"
