"""Rectification orders 责令限期整改 (制度第二十三条): what a unit must put right, by when,
and the history of it — the order, each report with its evidence, each verification.

Every row is write-once: a report sent back is followed by a new report, never edited; the
order's state is read from its rows (:func:`order_state`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liuhen.supervision.models.findings import Finding


class RectificationOrder(models.Model):
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requirement = models.TextField(_("what must be rectified"))
    deadline = models.DateField(_("rectify by"))
    findings = models.ManyToManyField(
        Finding, verbose_name=_("findings"), related_name="rectification_orders", blank=True
    )
    # Other sources (a spot check, a case-file review, a complaint):
    # [{"label": …, "object_type": …, "object_id": …}, …]
    sources = models.JSONField(_("sources"), default=list, blank=True)
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ordered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    ordered_at = models.DateTimeField(_("ordered at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")
        indexes = [
            models.Index(fields=["unit", "ordered_at"]),
            models.Index(fields=["responsible", "deadline"]),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.deadline}"


class RectificationReport(models.Model):
    order = models.ForeignKey(
        RectificationOrder,
        verbose_name=_("rectification order"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    text = models.TextField(_("what was done"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("rectification report")
        verbose_name_plural = _("rectification reports")
        ordering = ["submitted_at", "id"]

    def __str__(self) -> str:
        return f"{self.order} · {self.submitted_at:%Y-%m-%d}"


class RectificationEvidence(models.Model):
    report = models.ForeignKey(
        RectificationReport,
        verbose_name=_("rectification report"),
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    blob = models.ForeignKey(
        "core.Blob", verbose_name=_("stored file"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("rectification evidence")
        verbose_name_plural = _("rectification evidence")

    def __str__(self) -> str:
        return self.name


class Verdict(models.TextChoices):
    ACCEPTED = "accepted", _("Rectified: closed")
    RETURNED = "returned", _("Not sufficient: returned")
    ESCALATED = "escalated", _("Escalated")


class RectificationVerification(models.Model):
    order = models.ForeignKey(
        RectificationOrder,
        verbose_name=_("rectification order"),
        on_delete=models.PROTECT,
        related_name="verifications",
    )
    verdict = models.CharField(_("verdict"), max_length=16, choices=Verdict.choices)
    note = models.TextField(_("note"))
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), default=timezone.now)

    class Meta:
        verbose_name = _("rectification verification")
        verbose_name_plural = _("rectification verifications")
        ordering = ["verified_at", "id"]

    def __str__(self) -> str:
        return f"{self.order} · {self.get_verdict_display()}"


class OrderState(models.TextChoices):
    AWAITING_REPORT = "awaiting_report", _("Awaiting the report")
    AWAITING_VERIFICATION = "awaiting_verification", _("Awaiting verification")
    CLOSED = "closed", pgettext_lazy("rectification order", "Closed")
    ESCALATED = "escalated", _("Escalated")
