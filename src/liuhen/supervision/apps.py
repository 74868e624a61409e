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
