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
        from liuhen.subjects import blob_refs, events, perms, policy
        from liuhen.subjects.licences import sections as licence_sections

        registry.permissions.declare(perms.SubjectPerms)
        registry.events.declare(events.SubjectEvents)
        registry.access_rules.update(policy.RULES)
        registry.access_scopes.update(policy.SCOPES)
        registry.navigation.extend(NAVIGATION)
        registry.subject_sections.extend((licence_sections.SUBJECT_SECTION,))
        registry.blob_references.add("subjects", blob_refs.references_blob)
