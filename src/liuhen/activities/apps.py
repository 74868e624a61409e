from __future__ import annotations

from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "liuhen.activities"
    label = "activities"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from liuhen.activities import events, perms, policy
        from liuhen.core import registry

        registry.permissions.declare(perms.ActivityPerms)
        registry.permissions.declare(perms.AvExemptionPerms)
        registry.events.declare(events.ActivityEvents)
        registry.events.declare(events.AvExemptionEvents)
        registry.access_rules.update(policy.RULES)
        registry.access_scopes.update(policy.SCOPES)
        from liuhen.activities import sections  # noqa: F401  # registers the case page section
