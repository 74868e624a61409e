from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """Public pages without login: document verification and payment (R11.1, R18.2)."""

    name = "liuhen.portal"
    label = "portal"
    verbose_name = _("Public portal")
