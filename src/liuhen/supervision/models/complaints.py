"""Complaint replay (R22.4): a public complaint about an enforcement act, the footage it
concerns (suggested by time, place and officer, confirmed by the supervisor) and the
replay review with its outcome. Every row is write-once: a link or a review is never
changed, and a complaint is recorded once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liuhen.core.field_groups import Stamped


class ComplaintChannel(models.TextChoices):
    HOTLINE = "hotline", _("Hotline (12345)")
    PHONE = "phone", _("Telephone")
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Visit in person")
    ONLINE = "online", _("Online")
    REFERRAL = "referral", _("Referred by a higher authority")


class ReplayOutcome(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("Substantiated")
    PARTLY = "partly", _("Partly substantiated")
    NOT_SUBSTANTIATED = "not_substantiated", _("Not substantiated")


class Complaint(models.Model):
    channel = models.CharField(
        _("complaint channel"), max_length=16, choices=ComplaintChannel.choices
    )
    complainant = models.CharField(_("complainant"), max_length=100)
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    received_at = models.DateTimeField(_("received at"))
    # When and where the act complained of happened, as the complainant says.
    occurred_from = models.DateTimeField(_("happened from"))
    occurred_to = models.DateTimeField(_("happened until"))
    place = models.CharField(_("place"), max_length=300)
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officers named"),
        blank=True,
        related_name="+",
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("unit complained of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary = models.TextField(_("what the complaint says"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["received_at"], name="complaint_received")]

    def __str__(self) -> str:
        return f"TS-{self.pk} {self.complainant}"


class ComplaintFootage(Stamped):
    """An AV record the supervisor confirmed the complaint concerns."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.PROTECT, related_name="footage"
    )
    record = models.ForeignKey(
        "media.AvRecord",
        verbose_name=_("AV record"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    suggested = models.BooleanField(_("suggested"), default=False)

    class Meta:
        verbose_name = _("footage of a complaint")
        verbose_name_plural = _("footage of complaints")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "record"], name="complaint_footage_once")
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} ← AV-{self.record_id}"


class ComplaintReplay(Stamped):
    """The replay review: what the footage shows of the complaint."""

    complaint = models.OneToOneField(
        Complaint, verbose_name=_("complaint"), on_delete=models.PROTECT, related_name="replay"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=ReplayOutcome.choices)
    notes = models.TextField(_("notes"))
    finding = models.ForeignKey(
        "supervision.Finding",
        verbose_name=_("finding"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("complaint replay")
        verbose_name_plural = _("complaint replays")

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.get_outcome_display()}"
