from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from liuhen.core.navigation import Entry
from liuhen.disclosure.perms import DisclosurePerms

NAVIGATION = (
    Entry("disclosure", _("Publication"), "disclosure:queue", DisclosurePerms.QUEUE, order=138),
)


class DisclosureConfig(AppConfig):
    """执法公示 (R12.1): publishing decisions, their withdrawal, the annual data and the
    public pages' texts; the pages themselves are the portal's."""

    name = "liuhen.disclosure"
    label = "disclosure"
    verbose_name = _("Disclosure")

    def ready(self) -> None:
        from liuhen.core import registry
        from liuhen.disclosure import checks, clocks, events, law, perms, policy, subject_sections

        registry.permissions.declare(perms.DisclosurePerms)
        registry.events.declare(events.DisclosureEvents)
        registry.access_rules.update(policy.RULES)
        registry.access_scopes.update(policy.SCOPES)
        registry.rules.extend(law.RULES)
        registry.case_checks.extend(checks.CHECKS)
        registry.deadline_providers.update(clocks.PROVIDERS)
        registry.navigation.extend(NAVIGATION)
        registry.subject_sections.extend((subject_sections.SUBJECT_SECTION,))
