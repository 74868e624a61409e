from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "liuhen.supervision"
    label = "supervision"

    def ready(self) -> None:
        from liuhen.core import registry
        from liuhen.supervision import checks, events, home, law, perms, policy, sections

        registry.events.declare(events.FindingEvents)
        registry.case_checks.extend(checks.CHECKS)
        registry.case_sections.extend((sections.SECTION,))
        registry.access_rules.update(policy.RULES)
        registry.access_scopes.update(policy.SCOPES)
        registry.rules.extend(law.RULES)
        registry.permissions.declare(perms.ComplaintPerms)
        registry.events.declare(events.ComplaintEvents)
        registry.permissions.declare(perms.CaseReviewPerms)
        registry.events.declare(events.CaseReviewEvents)
        home.TILES.append(
            home.Tile(
                "complaints",
                _("Complaint replay"),
                "supervision:complaints",
                perms.ComplaintPerms.LIST,
                order=30,
            )
        )
        home.TILES.append(
            home.Tile(
                "reviews",
                _("Case-file review"),
                "supervision:reviews",
                perms.CaseReviewPerms.LIST,
                order=40,
            )
        )
