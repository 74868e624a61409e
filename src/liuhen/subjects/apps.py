from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from liuhen.core.navigation import Entry
from liuhen.subjects.perms import SubjectPerms

NAVIGATION = (
    Entry("subjects", _("Enforcement subjects"), "subjects:list", SubjectPerms.LIST, order=70),
)


class SubjectsConfig(AppConfig):
    name = "liuhen.subjects"
    label = "subjects"

    def ready(self) -> None:
        from liuhen.core import registry
        from liuhen.subjects import events, perms, policy

        registry.permissions.declare(perms.SubjectPerms)
        registry.events.declare(events.SubjectEvents)
        registry.access_rules.update(policy.RULES)
        registry.access_scopes.update(policy.SCOPES)
        registry.navigation.extend(NAVIGATION)
