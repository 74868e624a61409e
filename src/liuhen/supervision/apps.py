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
        from liuhen.supervision import checks, events, home, law, perms, policy, sections
        from liuhen.supervision.coverage import sections as coverage_sections

        registry.events.declare(events.FindingEvents)
        registry.case_checks.extend(checks.CHECKS)
        registry.case_sections.extend((sections.SECTION, coverage_sections.SECTION))
        registry.access_rules.update(policy.RULES)
        registry.access_scopes.update(policy.SCOPES)
        registry.rules.extend(law.RULES)
        registry.permissions.declare(perms.ComplaintPerms)
        registry.events.declare(events.ComplaintEvents)
        registry.permissions.declare(perms.CaseReviewPerms)
        registry.events.declare(events.CaseReviewEvents)
        registry.permissions.declare(perms.CoveragePerms, perms.SpotCheckPerms)
        registry.events.declare(events.SpotCheckEvents)
        registry.permissions.declare(perms.SupervisionHomePerms, perms.StatisticsPerms)
        registry.events.declare(events.StatisticsEvents)
        registry.navigation.extend(NAVIGATION)
        registry.activity_av_panels.add(
            "av_coverage",
            ("supervision/coverage/activity_panel.html", coverage_sections.activity_coverage),
        )
        home.TILES.extend(
            (
                home.Tile(
                    "statistics",
                    _("Statistics"),
                    "statistics:dashboard",
                    perms.StatisticsPerms.VIEW,
                    order=5,
                ),
                home.Tile(
                    "spot_checks",
                    _("Spot checks"),
                    "supervision:spot_checks",
                    perms.SpotCheckPerms.VIEW,
                    order=10,
                ),
                home.Tile(
                    "coverage",
                    _("AV coverage"),
                    "supervision:coverage",
                    perms.CoveragePerms.VIEW,
                    order=15,
                ),
                home.Tile(
                    "complaints",
                    _("Complaint replay"),
                    "supervision:complaints",
                    perms.ComplaintPerms.LIST,
                    order=30,
                ),
                home.Tile(
                    "reviews",
                    _("Case-file review"),
                    "supervision:reviews",
                    perms.CaseReviewPerms.LIST,
                    order=40,
                ),
            )
        )
