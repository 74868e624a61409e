from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "liuhen.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from liuhen.core import confcache

        confcache.connect_signals()
