from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevicesConfig(AppConfig):
    name = "liuhen.devices"
    label = "devices"
    verbose_name = _("AV devices")
    default_auto_field = "django.db.models.BigAutoField"
