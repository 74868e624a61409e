from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from liuhen.core.navigation import Entry
from liuhen.core.perms import AuditLogPerms, ConfigPerms

NAVIGATION = (
    Entry("rules", _("Legal parameters"), "config:rules", ConfigPerms.MANAGE, order=160),
    Entry("calendar", _("Working-day calendar"), "config:calendar", ConfigPerms.MANAGE, order=170),
    Entry("audit", _("Audit log"), "audit:events", AuditLogPerms.VIEW, order=230),
    Entry("audit-status", _("Log integrity"), "audit:status", AuditLogPerms.VIEW, order=240),
)


class CoreConfig(AppConfig):
    name = "liuhen.core"
    label = "core"

    def ready(self) -> None:
        from django.core import checks

        from liuhen.core import confcache, events, perms, registry, system_checks

        registry.permissions.declare(perms.ConfigPerms, perms.AuditLogPerms)
        registry.events.declare(
            events.RuleEvents,
            events.CalendarEvents,
            events.AuditLogEvents,
            events.BlobEvents,
            events.BackupEvents,
        )
        registry.navigation.extend(NAVIGATION)
        for check in system_checks.SYSTEM_CHECKS:
            checks.register(check, "liuhen")
        confcache.connect_signals()
