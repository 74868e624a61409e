"""``liuhen export-platform DIR``: write the subjects, cases and decisions changed since
the last run as JSON Lines for the provincial enforcement platform (制度第二十条)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from liuhen.cases.actions.platform import export_to_platform
from liuhen.core import audit


class Command(BaseCommand):
    help = "Export changed subjects, cases and decisions for the provincial platform."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path = export_to_platform(audit.SYSTEM, options["directory"])
        self.stdout.write(str(path) if path else "nothing changed")
