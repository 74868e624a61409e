from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from liuhen.core.navigation import Entry
from liuhen.supervision.perms import StatisticsPerms, SupervisionHomePerms

NAVIGATION = (
    Entry(
        "supervision", _("Supervision"), "supervision:home", SupervisionHomePerms.HOME, order=120
    ),
    Entry("statistics", _("Statistics"), "statistics:dashboard", StatisticsPerms.VIEW, order=125),
)


class SupervisionConfig(AppConfig):
    name = "liuhen.supervision"
    label = "supervision"

    def ready(self) -> None:
        from liuhen.core import registry
        from liuhen.supervision import checks, events, sections

        registry.events.declare(events.FindingEvents)
        registry.case_checks.extend(checks.CHECKS)
        registry.case_sections.extend((sections.SECTION,))
        self._ready_statistics()

    def _ready_statistics(self) -> None:
        from liuhen.core import registry
        from liuhen.supervision import events, home, perms, policy

        registry.permissions.declare(perms.SupervisionHomePerms)
        registry.permissions.declare(perms.StatisticsPerms)
        registry.events.declare(events.StatisticsEvents)
        registry.access_rules.update(policy.RULES)
        registry.access_scopes.update(policy.SCOPES)
        registry.navigation.extend(NAVIGATION)
        home.TILES.append(
            home.Tile(
                "statistics", _("Statistics"), "statistics:dashboard", StatisticsPerms.VIEW, 10
            )
        )
