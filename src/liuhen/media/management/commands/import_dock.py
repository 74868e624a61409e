"""``liuhen import-dock DIR --station ID`` — bring a collection station's files in (R15.1).

Walks DIR, makes each new video, audio or photo file an AV record acting as the station
(the action ``liuhen.media.actions.dock.import_dock``), prints one line per file and a
summary, and exits 1 when a file failed. Running it again skips what is imported
already; after an interruption it picks up where it stopped.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from liuhen.core.access import AccessDenied
from liuhen.media.actions import dock as dock_actions
from liuhen.media.ingest import dock, dock_names

MB = 1_000_000


def _size(size: int) -> str:
    return f"{size / MB:.1f} MB"


class Command(BaseCommand):
    help = "Import a collection station's recordings from a folder (idempotent, resumable)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("dir", help="the folder the station copied the recorders' files to")
        parser.add_argument(
            "--station",
            required=True,
            metavar="ID",
            help="serial number (or id) of the registered collection station or terminal",
        )
        parser.add_argument(
            "--pattern",
            action="append",
            default=None,
            metavar="PATTERN",
            help="file-name pattern, repeatable, tried in order (default: LIUHEN_DOCK_PATTERNS"
            f" or {dock_names.DEFAULT_PATTERN})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            station = dock.find_station(options["station"])
            patterns = dock_names.compile_patterns(options["pattern"])
            report = dock_actions.import_dock(
                station,
                Path(options["dir"]),
                patterns=patterns,
                progress=self._progress,
                on_start=self._start,
            )
        except dock_names.DockError as exc:
            raise CommandError(str(exc), returncode=2) from None
        except AccessDenied:
            raise CommandError(f"{options['station']} may not upload", returncode=2) from None
        for path, reason in report.failed:
            self.stdout.write(f"failed {path}: {reason}")
        rate = report.bytes / MB / report.seconds if report.seconds > 0 else 0.0
        summary = (
            f"{report.station} from {report.root}: {report.imported} imported"
            f" ({report.flagged} flagged for labelling), {report.linked} already a record,"
            f" {report.skipped} skipped already imported, {len(report.failed)} failed;"
            f" {_size(report.bytes)} in {report.seconds:.1f} s ({rate:.1f} MB/s)"
        )
        if not report.ok:
            raise CommandError(summary, returncode=1)
        self.stdout.write(summary)

    def _start(self, report: dock.DockReport, todo: int) -> None:
        self.stdout.write(
            f"{report.found} media files in {report.root}: skipped {report.skipped} already"
            f" imported, {todo} to import ({report.ignored} other files ignored)"
        )
        self.stdout.flush()

    def _progress(
        self,
        number: int,
        total: int,
        entry: dock.DockEntry,
        result: dock.FileResult,
        seconds: float,
    ) -> None:
        line = f"[{number}/{total}] {entry.relpath} {_size(entry.size)}"
        if result.status == "failed":
            line += f" FAILED: {result.reason}"
        elif result.status == "skipped":
            line += " skipped (imported by another run)"
        else:
            rate = entry.size / MB / seconds if seconds > 0 else 0.0
            line += f" {rate:.1f} MB/s"
            if result.status == "linked" and result.record is not None:
                line += f" already {result.record}"
            elif result.flagged and result.record is not None:
                reasons = result.record.metadata.get("labelling", [])
                line += " flagged: " + " ".join(dock_names.reason_text(r) for r in reasons)
        self.stdout.write(line)
        self.stdout.flush()
