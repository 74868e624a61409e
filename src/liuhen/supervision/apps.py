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
        self._ready_rectification()
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

    def _ready_rectification(self) -> None:
        """Findings catalogue, rectification, accountability and focused guidance."""
        from django.utils.translation import gettext_lazy as _

        from liuhen.core import registry
        from liuhen.supervision import events, perms
        from liuhen.supervision.home import TILES, Tile
        from liuhen.supervision.rectification import blob_refs, clocks, inbox

        for vocabulary in (
            perms.FindingPerms,
            perms.RectificationPerms,
            perms.AccountabilityPerms,
            perms.GuidancePerms,
        ):
            registry.permissions.declare(vocabulary)
        for codes in (
            events.FindingRegisterEvents,
            events.RectificationEvents,
            events.AccountabilityEvents,
            events.GuidanceEvents,
        ):
            registry.events.declare(codes)
        registry.deadline_providers.update(clocks.PROVIDERS)
        registry.task_providers.update(inbox.PROVIDERS)
        # The evidence of a rectification is kept as long as its report.
        registry.blob_references.add("rectification_evidence", blob_refs.references_blob)
        from liuhen.supervision import subject_sections

        registry.subject_sections.extend(
            (subject_sections.FINDING_SECTION, subject_sections.RECTIFICATION_SECTION)
        )
        TILES.extend(
            (
                Tile(
                    "findings", _("Findings"), "supervision:findings", perms.FindingPerms.LIST, 10
                ),
                Tile(
                    "rectifications",
                    _("Rectification"),
                    "supervision:rectifications",
                    perms.RectificationPerms.LIST,
                    60,
                ),
                Tile(
                    "accountability",
                    _("Accountability"),
                    "supervision:accountability",
                    perms.AccountabilityPerms.LIST,
                    70,
                ),
                Tile(
                    "guidance",
                    _("Focused guidance"),
                    "supervision:guidance",
                    perms.GuidancePerms.LIST,
                    80,
                ),
            )
        )
