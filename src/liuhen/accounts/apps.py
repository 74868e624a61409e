from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "liuhen.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from liuhen.accounts import events, perms, policy
        from liuhen.core import registry

        registry.permissions.declare(perms.AccountPerms)
        registry.permissions.declare(perms.RolePerms)
        registry.permissions.declare(perms.SecurityPerms)
        registry.permissions.declare(perms.UnitPerms)
        registry.events.declare(events.AuthEvents)
        registry.events.declare(events.SessionEvents)
        registry.events.declare(events.AccountEvents)
        registry.events.declare(events.RoleEvents)
        registry.events.declare(events.SecurityEvents)
        registry.events.declare(events.BureauEvents)
        registry.events.declare(events.UnitEvents)
        registry.events.declare(events.CertificateEvents)
        registry.access_rules.update(policy.RULES)
        registry.access_scopes.update(policy.SCOPES)
