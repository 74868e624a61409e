"""API tokens for people and for devices ."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A bearer token. Only a SHA-256 hash of it is stored; the token is shown once.

    A token belongs to an account (``user``) or to a recording device (``device_serial``;
    the devices app comes later, so the serial is stored as text), never both.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_tokens",
    )
    device_serial = models.CharField(_("device serial number"), max_length=64, blank=True)
    name = models.CharField(_("name"), max_length=100)
    # The first characters of the token, shown in lists so a person can tell tokens apart.
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    (models.Q(user__isnull=False) & models.Q(device_serial=""))
                    | (models.Q(user__isnull=True) & ~models.Q(device_serial=""))
                ),
                name="api_token_user_xor_device",
            )
        ]

    def __str__(self) -> str:
        return f"{self.prefix} {self.name}"

    @property
    def is_device(self) -> bool:
        return bool(self.device_serial)

    def is_usable(self, now: dt.datetime | None = None) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > (now or timezone.now())
