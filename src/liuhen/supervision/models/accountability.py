"""Accountability records 责任追究 (制度第二十三条): the facts, the rule broken, the decision
and its document, and the findings it rests on. Write-once; seen only by the supervisors
and the agency head."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liuhen.supervision.models.findings import Finding


class AccountabilityRecord(models.Model):
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person held responsible"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    facts = models.TextField(_("facts"))
    rule = models.CharField(_("rule broken"), max_length=300)
    decision = models.TextField(_("decision"))
    decision_document = models.CharField(_("decision document"), max_length=200)
    decided_on = models.DateField(_("decided on"))
    findings = models.ManyToManyField(
        Finding, verbose_name=_("findings"), related_name="accountability_records", blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("accountability record")
        verbose_name_plural = _("accountability records")

    def __str__(self) -> str:
        return f"{self.unit} · {self.decided_on}"
