from __future__ import annotations

from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    """Running clocks of cases: the case-page section, the lists, the reminders (issue 3 #6)."""

    name = "liuhen.deadlines"
    label = "deadlines"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from liuhen.core import registry
        from liuhen.deadlines import perms, policy

        registry.permissions.declare(perms.DeadlinePerms)
        registry.access_rules.update(policy.RULES)
        # Registers the case-page section (cases.sections) at start-up.
        from liuhen.deadlines import section  # noqa: F401
