from __future__ import annotations

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "liuhen.supervision"
    label = "supervision"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from liuhen.supervision import sections  # noqa: F401  # registers the case page section
