"""Cases 案件. The foundation holds what the access policy needs; the cases issue adds the rest."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Confidentiality(models.TextChoices):
    """R18.5: a class that restricts access and export."""

    ORDINARY = "ordinary", _("Ordinary")
    PRIVACY = "privacy", _("Personal privacy")
    TRADE_SECRET = "trade_secret", _("Trade secret")
    STATE_SECRET = "state_secret", _("State secret")


class Stage(models.TextChoices):
    """R3.1: the stages named by Art. 3."""

    INITIATION = "initiation", _("Initiation")
    INVESTIGATION = "investigation", _("Investigation")
    DECISION = "decision", _("Review and decision")
    SERVICE = "service", _("Service and execution")
    ARCHIVING = "archiving", _("Archiving")


class Case(models.Model):
    number = models.CharField(_("case number"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=300)
    # 执法领域 as in the case number, e.g. 农药 or 种子.
    field = models.CharField(_("field of enforcement"), max_length=20, blank=True)
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="cases"
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.INITIATION
    )
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.ORDINARY,
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned officers"),
        related_name="assigned_cases",
        blank=True,
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at"]
        # The register's order: its first page must not sort the whole table.
        indexes = [models.Index(fields=["-opened_at", "-id"], name="case_register_order")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


DEFAULT_NUMBER_PATTERN = "洼农（{field}）{kind}〔{year}〕{serial}号"


class NumberPattern(models.Model):
    """The 文号 pattern, one row, set by the system admin (documents.md).

    Placeholders: ``{field}`` 执法领域, ``{kind}`` 文书种类 code (立/罚/告…), ``{year}``,
    ``{serial}`` (no padding). No row means :data:`DEFAULT_NUMBER_PATTERN`.
    """

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID, editable=False)
    pattern = models.CharField(_("number pattern"), max_length=120, default=DEFAULT_NUMBER_PATTERN)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("number pattern")
        verbose_name_plural = _("number patterns")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="number_pattern_singleton"),
        ]

    def __str__(self) -> str:
        return self.pattern


class NumberSeries(models.Model):
    """The bureau's last serial per (year, kind, field): numbers are gapless per series."""

    kind = models.CharField(_("kind"), max_length=10)
    field = models.CharField(_("field of enforcement"), max_length=20, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    last_serial = models.PositiveIntegerField(_("last serial"), default=0)

    class Meta:
        verbose_name = _("number series")
        verbose_name_plural = _("number series")
        constraints = [
            models.UniqueConstraint(fields=["year", "kind", "field"], name="number_series_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.kind} {self.field}: {self.last_serial}"
