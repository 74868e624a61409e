from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "liuhen.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from liuhen.core import events, perms, registry

        registry.permissions.declare(perms.ConfigPerms)
        registry.permissions.declare(perms.AuditLogPerms)
        registry.events.declare(events.RuleEvents)
        registry.events.declare(events.CalendarEvents)
        registry.events.declare(events.AuditLogEvents)
        registry.events.declare(events.BlobEvents)
        from liuhen.core import confcache

        confcache.connect_signals()
