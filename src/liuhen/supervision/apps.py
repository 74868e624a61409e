from __future__ import annotations

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "liuhen.supervision"
    label = "supervision"

    def ready(self) -> None:
        from liuhen.core import registry
        from liuhen.supervision import checks, events, sections

        registry.events.declare(events.FindingEvents)
        registry.case_checks.extend(checks.CHECKS)
        registry.case_sections.extend((sections.SECTION,))
        self._ready_rectification()

    def _ready_rectification(self) -> None:
        """Findings catalogue, rectification, accountability and focused guidance."""
        from django.utils.translation import gettext_lazy as _

        from liuhen.core import registry
        from liuhen.supervision import events, law, perms, policy
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
        registry.access_rules.update(policy.RULES)
        registry.access_scopes.update(policy.SCOPES)
        registry.rules.extend(law.RULES)
        registry.deadline_providers.update(clocks.PROVIDERS)
        registry.task_providers.update(inbox.PROVIDERS)
        # The evidence of a rectification is kept as long as its report.
        registry.blob_references.add("rectification_evidence", blob_refs.references_blob)
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
