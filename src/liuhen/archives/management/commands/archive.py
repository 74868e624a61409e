"""``liuhen archive export CASE_NUMBER DIR`` / ``liuhen archive export --all DIR``: copy the
archive package of an archived case (or of every archived case) to a folder for transfer,
one OCFL object per case (制度第十八条; ``docs/archive-package.md``).

A case without a package gets one built first. Each folder checks with
``python -m liuhen.verify_package FOLDER``. Exit status 2 when a case is unknown or not
archived, or the folder is taken.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from liuhen.archives.actions import package as package_actions
from liuhen.cases.models import Case
from liuhen.core import audit


class Command(BaseCommand):
    help = "Export archive packages (OCFL objects) of archived cases to a folder."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        export = sub.add_parser("export", help="copy archive packages to a folder")
        which = export.add_mutually_exclusive_group(required=True)
        which.add_argument("case_number", nargs="?", help="the case number")
        which.add_argument(
            "--all", dest="all_dir", metavar="DIR", help="every archived case, into DIR"
        )
        export.add_argument("dir", nargs="?", help="the folder to write into")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["all_dir"]:
            if options["case_number"] or options["dir"]:
                raise CommandError("give either CASE_NUMBER DIR or --all DIR", returncode=2)
            directory = Path(options["all_dir"])
            cases = package_actions.archived_cases(audit.SYSTEM)
        else:
            if not options["dir"]:
                raise CommandError("give the folder to write into: CASE_NUMBER DIR", returncode=2)
            directory = Path(options["dir"])
            case = Case.objects.filter(number=options["case_number"]).first()
            if case is None:
                raise CommandError(f"no case {options['case_number']}", returncode=2)
            cases = [case]
        try:
            exported = package_actions.export_archive_packages(audit.SYSTEM, cases, directory)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages), returncode=2) from None
        for item in exported:
            self.stdout.write(
                f"{item.case_number}: {item.folder} ({item.package.item_count} items, "
                f"{item.package.file_count} files, inventory SHA-512 "
                f"{item.package.inventory_sha512[:16]}…)"
            )
        self.stdout.write(f"{len(exported)} archive packages exported to {directory}")
