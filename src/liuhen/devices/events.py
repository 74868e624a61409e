"""The audit event codes this app writes, with what people read in the log."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeviceEvents(models.TextChoices):
    REGISTER = "device.register", _("Register device")
    CHANGE = "device.change", _("Change device")
    CHECKOUT = "device.checkout", _("Check out device")
    RETURN = "device.return", _("Return device")
    MAINTENANCE = "device.maintenance", _("Record device maintenance")
    EXPORT = "device.export", _("Export device register")
