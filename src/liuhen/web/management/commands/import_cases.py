"""``liuhen import-cases FILE.xlsx|FILE.csv --as USERNAME [--commit] [--scans DIR]`` —
bring the bureau's existing cases in from the template (docs/import.md).

A dry run by default: every row is checked and reported, nothing is written. With
``--commit`` each sound row becomes a case (a broken row is reported with its row number
and reasons and nothing of it is written); a case imported before is skipped, so running
again after an interruption picks up where it stopped. ``--scans DIR`` attaches the
scanned paper files of each imported case (a sub-folder named by the case number, or
files whose names begin with it). ``--template OUT.xlsx`` writes the empty template with
its example rows. Exits 1 when a row was refused.
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from liuhen.accounts.models import User
from liuhen.cases.actions.imports import ImportReport, Status, import_cases
from liuhen.cases.imports import reader
from liuhen.cases.imports.example import write_template
from liuhen.core.access import AccessDenied
from liuhen.documents.actions.imported_scans import ScanStatus, attach_scans, scans_of


def _status(status: str) -> str:
    return {
        Status.CREATED: _("imported"),
        Status.WOULD_CREATE: _("can be imported"),
        Status.SKIPPED: _("imported before, skipped"),
        Status.REFUSED: _("not imported"),
    }[status]


class Command(BaseCommand):
    help = "Import existing cases from the XLSX or CSV template (a dry run unless --commit)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", nargs="?", help="the filled template, .xlsx or .csv")
        parser.add_argument(
            "--as",
            dest="username",
            metavar="USERNAME",
            help="the person importing (needs to enter cases of each row's unit)",
        )
        parser.add_argument("--commit", action="store_true", help="write the sound rows")
        parser.add_argument("--scans", metavar="DIR", help="folder of scanned paper files")
        parser.add_argument(
            "--template", metavar="OUT", help="write the template with its example rows"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The report is for the people who filled the template: in Chinese.
        with translation.override("zh-hans"):
            self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        if options["template"]:
            write_template(Path(options["template"]))
            self.stdout.write(_("Template written: %(path)s") % {"path": options["template"]})
            return
        if not options["file"] or not options["username"]:
            raise CommandError(
                _("Name the file and the person importing: liuhen import-cases FILE --as USERNAME")
            )
        actor = User.objects.filter(username=options["username"], is_active=True).first()
        if actor is None:
            raise CommandError(
                _("No active account is named %(name)s.") % {"name": options["username"]}
            )
        scans = Path(options["scans"]) if options["scans"] else None
        if scans is not None and not scans.is_dir():
            raise CommandError(_("The folder of scans does not exist: %(path)s") % {"path": scans})
        try:
            source = reader.read(Path(options["file"]))
        except (OSError, ValidationError) as error:
            message = "；".join(getattr(error, "messages", [str(error)]))
            raise CommandError(
                _("The import file cannot be read: %(reason)s") % {"reason": message}
            ) from None
        report = import_cases(actor, source, commit=options["commit"], progress=self._progress)
        self._report(report)
        if scans is not None and options["commit"]:
            self._scans(actor, report, scans)
        if report.count(Status.REFUSED):
            sys.exit(1)

    def _progress(self, done: int, total: int) -> None:
        if done == total or done % 500 == 0:
            self.stderr.write(
                _("%(done)s of %(total)s rows checked") % {"done": done, "total": total}
            )

    def _report(self, report: ImportReport) -> None:
        for outcome in report.outcomes:
            line = _("Row %(row)s %(number)s: %(status)s") % {
                "row": outcome.row,
                "number": outcome.case_number or _("(no case number)"),
                "status": _status(outcome.status),
            }
            if outcome.problems:
                line += _(". ") + _("; ").join(outcome.problems)
            self.stdout.write(line)
        counts = {
            "file": report.file_name,
            "rows": len(report.outcomes),
            "ok": report.count(Status.CREATED) + report.count(Status.WOULD_CREATE),
            "skipped": report.count(Status.SKIPPED),
            "refused": report.count(Status.REFUSED),
        }
        if report.commit:
            summary = _(
                "Imported %(file)s: %(rows)s rows, %(ok)s imported, %(skipped)s imported "
                "before, %(refused)s not imported."
            )
        else:
            summary = _(
                "Dry run of %(file)s (nothing written; add --commit to write): %(rows)s rows, "
                "%(ok)s can be imported, %(skipped)s imported before, %(refused)s not imported."
            )
        self.stdout.write(summary % counts)

    def _scans(self, actor: User, report: ImportReport, folder: Path) -> None:
        attached = already = refused = 0
        for outcome in report.outcomes:
            if outcome.case is None:
                continue
            try:
                results = attach_scans(
                    actor,
                    outcome.case,
                    scans_of(folder, outcome.case.number),
                    note=_("Scan of the earlier paper file"),
                )
            except AccessDenied:
                self.stdout.write(
                    _("%(number)s: you may not upload scans") % {"number": outcome.case.number}
                )
                continue
            for result in results:
                if result.status == ScanStatus.ATTACHED:
                    attached += 1
                elif result.status == ScanStatus.ALREADY:
                    already += 1
                else:
                    refused += 1
                    self.stdout.write(
                        _("Scan %(name)s: %(reason)s")
                        % {"name": result.path.name, "reason": result.message}
                    )
        self.stdout.write(
            _("Scans: %(attached)s attached, %(already)s held already, %(refused)s refused.")
            % {"attached": attached, "already": already, "refused": refused}
        )
