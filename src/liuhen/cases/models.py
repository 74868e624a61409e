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

    def __str__(self) -> str:
        return f"{self.number} {self.title}"
