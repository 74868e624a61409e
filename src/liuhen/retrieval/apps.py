"""调阅 (R21.1, Art. 21): access beyond one's scope, time-limited grants, and watermarks."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from liuhen.core.navigation import Entry
from liuhen.retrieval.perms import RetrievalPerms

NAVIGATION = (
    Entry("retrieval", _("Retrieval"), "retrieval:index", RetrievalPerms.LIST, order=175),
)


class RetrievalConfig(AppConfig):
    name = "liuhen.retrieval"
    label = "retrieval"
    verbose_name = _("Retrieval")

    def ready(self) -> None:
        from liuhen.core import registry
        from liuhen.retrieval import events, grants, inbox, law, perms, policy

        registry.permissions.declare(perms.RetrievalPerms)
        registry.events.declare(events.RetrievalEvents)
        registry.access_rules.update(policy.RULES)
        registry.access_scopes.update(policy.SCOPES)
        registry.rules.extend(law.RULES)
        # A live grant lets its holder read what the policy alone would refuse.
        registry.access_grants.add("retrieval", grants.live_grant)
        registry.task_providers.update(inbox.PROVIDERS)
        registry.navigation.extend(NAVIGATION)
