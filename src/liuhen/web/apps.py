from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from liuhen.core.navigation import Entry

NAVIGATION = (Entry("home", _("Home"), "web:home", None, order=10),)


class WebConfig(AppConfig):
    name = "liuhen.web"
    label = "web"

    def ready(self) -> None:
        from liuhen.core import registry

        registry.navigation.extend(NAVIGATION)
