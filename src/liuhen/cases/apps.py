from __future__ import annotations

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "liuhen.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from liuhen.cases import events, perms, policy
        from liuhen.core import registry

        registry.permissions.declare(perms.CasePerms)
        registry.permissions.declare(perms.LeadPerms)
        registry.permissions.declare(perms.ApprovalPerms)
        registry.events.declare(events.CaseEvents)
        registry.events.declare(events.LeadEvents)
        registry.events.declare(events.ApprovalEvents)
        registry.events.declare(events.NumberingEvents)
        registry.access_rules.update(policy.RULES)
        registry.access_scopes.update(policy.SCOPES)
        # On import: approval handlers (filing opens the case, suspensions take effect)
        # and the case page's sections.
        from liuhen.cases import (  # noqa: F401
            hearing_section,
            leads,
            records_section,
            suspensions,
        )
