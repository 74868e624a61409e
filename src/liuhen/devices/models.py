"""AV devices 执法记录仪 etc. and their ledger of checkouts, returns and maintenance (R13.1).

A device row holds its current state (status, holder, since when); the ledger is the
history and is write-once: every checkout 领取, return 归还 and maintenance 保养 is a row
that is never changed or deleted (triggers in the migration).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liuhen.core.audit import Actor


class DeviceKind(models.TextChoices):
    RECORDER = "recorder", _("Body-worn recorder")
    CAMERA = "camera", _("Camera")
    AUDIO = "audio_recorder", _("Audio recorder")
    TERMINAL = "terminal", _("Enforcement terminal")
    STATION = "station", _("Collection station")


class DeviceStatus(models.TextChoices):
    IN_SERVICE = "in_service", _("In service")
    CHECKED_OUT = "checked_out", _("Checked out")
    MAINTENANCE = "maintenance", _("In maintenance")
    RETIRED = "retired", _("Retired")


UPLOADING_KINDS = (DeviceKind.STATION, DeviceKind.TERMINAL)


class Device(models.Model):
    serial = models.CharField(_("serial number"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=DeviceKind.choices)
    model = models.CharField(_("model"), max_length=100, blank=True)
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="devices"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DeviceStatus.choices, default=DeviceStatus.IN_SERVICE
    )
    storage_place = models.CharField(_("storage place"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("held by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    out_since = models.DateTimeField(_("checked out at"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)

    class Meta:
        verbose_name = _("AV device")
        verbose_name_plural = _("AV devices")
        ordering = ["serial"]

    def __str__(self) -> str:
        return self.serial

    @property
    def is_carried(self) -> bool:
        """Taken out by an officer (领取) and brought back; a collection station is fixed."""
        return self.kind != DeviceKind.STATION

    def audit_actor(self) -> Actor:
        """A collection station or terminal acting (dock import, device token)."""
        return Actor.device(self.serial)

    @property
    def can_upload(self) -> bool:
        """Stations and terminals bring in recordings (R15.1); not when retired."""
        return self.kind in UPLOADING_KINDS and self.status != DeviceStatus.RETIRED


class EntryKind(models.TextChoices):
    CHECKOUT = "checkout", _("Checkout (领取)")
    RETURN = "return", _("Return (归还)")
    MAINTENANCE = "maintenance", _("Maintenance (保养)")


class LedgerEntry(models.Model):
    """One checkout, return or maintenance of a device (write-once, R13.1).

    ``at``: when taken, given back, or the maintenance began (``until``: ended).
    ``holder``: who took it (checkout) or gave it back (return).
    ``handled_by``: who issued it, received it, or recorded the maintenance.
    """

    device = models.ForeignKey(
        Device, verbose_name=_("device"), on_delete=models.PROTECT, related_name="ledger"
    )
    kind = models.CharField(_("entry"), max_length=12, choices=EntryKind.choices)
    at = models.DateTimeField(pgettext_lazy("device ledger", "time"))
    until = models.DateTimeField(_("until"), null=True, blank=True)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="device_entries",
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    condition = models.CharField(_("condition"), max_length=300, blank=True)
    work_done = models.TextField(_("work done"), blank=True)
    checkout = models.ForeignKey(
        "self",
        verbose_name=_("checkout"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="returns",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("device ledger entry")
        verbose_name_plural = _("device ledger entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["device", "kind", "at"], name="device_ledger_idx")]

    def __str__(self) -> str:
        return f"{self.device_id} · {self.kind} · {self.at:%Y-%m-%d %H:%M}"
