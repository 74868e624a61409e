from __future__ import annotations

from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "liuhen.activities"
    label = "activities"

    def ready(self) -> None:
        from liuhen.activities import actions, events, law, perms, policy, sections
        from liuhen.cases import approvals
        from liuhen.core import registry

        registry.permissions.declare(perms.ActivityPerms, perms.AvExemptionPerms)
        registry.events.declare(events.ActivityEvents, events.AvExemptionEvents)
        registry.access_rules.update(policy.RULES)
        registry.access_scopes.update(policy.SCOPES)
        registry.rules.extend(law.RULES)
        approvals.add_steps(actions.APPROVAL_STEPS)
        registry.case_sections.extend((sections.SECTION,))
        registry.subject_sections.extend((sections.SUBJECT_SECTION,))
        registry.activity_recorders.add("activities", actions.record_activity_within)
