from __future__ import annotations

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "liuhen.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Approval handlers (filing opens the case) register on import.
        from liuhen.cases import leads  # noqa: F401
