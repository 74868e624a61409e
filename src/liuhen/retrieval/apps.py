from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetrievalConfig(AppConfig):
    name = "liuhen.retrieval"
    label = "retrieval"
    verbose_name = _("Retrieval")

    def ready(self) -> None:
        pass
