from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from liuhen.cases.perms import ApprovalPerms, CasePerms, LeadPerms
from liuhen.core.navigation import Entry
from liuhen.core.perms import ConfigPerms

NAVIGATION = (
    Entry("cases", _("Cases"), "cases:list", CasePerms.LIST, order=20),
    Entry("leads", _("Leads"), "cases:leads", LeadPerms.LIST, order=30),
    Entry("approvals", _("Approvals"), "cases:approvals", ApprovalPerms.LIST, order=40),
    Entry(
        "numbering",
        _("Document numbers"),
        "cases:number_pattern",
        ConfigPerms.MANAGE,
        order=180,
    ),
)


class CasesConfig(AppConfig):
    name = "liuhen.cases"
    label = "cases"

    def ready(self) -> None:
        from django.core import checks

        from liuhen.cases import (
            approvals,
            deadlines,
            events,
            inbox,
            law,
            perms,
            policy,
            system_checks,
            timeline,
            workflow,
        )
        from liuhen.cases.actions import filing, suspensions
        from liuhen.cases.sections import case, hearings, licences, records, subject
        from liuhen.core import registry

        registry.permissions.declare(
            perms.CasePerms, perms.LeadPerms, perms.ApprovalPerms, perms.PlatformPerms
        )
        registry.events.declare(
            events.CaseEvents,
            events.LeadEvents,
            events.ApprovalEvents,
            events.NumberingEvents,
            events.PlatformEvents,
        )
        registry.access_rules.update(policy.RULES)
        registry.access_scopes.update(policy.SCOPES)
        registry.rules.extend(law.RULES)
        approvals.add_steps(
            (*filing.APPROVAL_STEPS, *suspensions.APPROVAL_STEPS, *workflow.APPROVAL_STEPS)
        )
        registry.case_sections.extend(
            (*case.SECTIONS, records.SECTION, licences.SECTION, hearings.SECTION)
        )
        registry.subject_sections.extend((subject.SUBJECT_SECTION,))
        registry.deadline_providers.update(deadlines.PROVIDERS)
        registry.task_providers.update(inbox.PROVIDERS)
        registry.navigation.extend(NAVIGATION)
        # R1.1: the trail names a case by its number, not its id.
        registry.object_labels.update(timeline.LABELS)
        for check in system_checks.SYSTEM_CHECKS:
            checks.register(check, "liuhen")
