from __future__ import annotations

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "liuhen.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # On import: approval handlers (filing opens the case, suspensions take effect)
        # and the case page's sections.
        from liuhen.cases import (  # noqa: F401
            hearing_section,
            leads,
            records_section,
            suspensions,
        )
