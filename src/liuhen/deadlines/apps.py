from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from liuhen.core.navigation import Entry
from liuhen.deadlines.perms import DeadlinePerms

NAVIGATION = (
    Entry("deadlines", _("Deadlines"), "deadlines:mine", DeadlinePerms.LIST_OWN, order=50),
    Entry(
        "unit-deadlines",
        _("Unit deadlines"),
        "deadlines:unit",
        DeadlinePerms.LIST_UNIT,
        order=60,
    ),
)


class DeadlinesConfig(AppConfig):
    """Running clocks of cases: the case-page section, the lists, the reminders."""

    name = "liuhen.deadlines"
    label = "deadlines"

    def ready(self) -> None:
        from liuhen.core import registry
        from liuhen.deadlines import inbox, perms, policy, sections

        registry.permissions.declare(perms.DeadlinePerms)
        registry.access_rules.update(policy.RULES)
        registry.case_sections.extend((sections.SECTION,))
        registry.navigation.extend(NAVIGATION)
        registry.task_providers.update(inbox.PROVIDERS)
