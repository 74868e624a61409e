"""Collection-station import 采集站导入 (R15.1, R16.1): every new file of a station's folder
becomes an AV record, acting as the station; one audit event for the run.

Idempotent and resumable: a :class:`DockFile` row (station, path relative to the folder,
size, mtime) is written in the same transaction as the record, and a later run skips those
files without reading them. The folder, the station and the report are
:mod:`liuhen.media.ingest.dock`'s; what a file's name and sidecar say,
:mod:`liuhen.media.ingest.dock_names`'.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from django.db import IntegrityError, transaction

from liuhen.core import audit
from liuhen.core.blobs import store_blob
from liuhen.core.models import Outcome
from liuhen.devices.models import Device
from liuhen.media.actions.ingest import _create_record, require_uploader
from liuhen.media.events import MediaEvents
from liuhen.media.ingest import capture
from liuhen.media.ingest.dock import (
    PATH_MAX,
    DockEntry,
    DockReport,
    FileChanged,
    FileResult,
    Progress,
    failure,
    readable_name,
    scan,
)
from liuhen.media.ingest.dock_names import (
    DockError,
    NamePattern,
    compile_patterns,
    describe,
    open_regular,
)
from liuhen.media.models import AvRecord, AvSource, DockFile


def import_dock(
    station: Device,
    root: Path | str,
    *,
    patterns: list[NamePattern] | None = None,
    progress: Progress | None = None,
    on_start: Callable[[DockReport, int], None] | None = None,
) -> DockReport:
    """Import every media file under ``root`` not imported before; one audit event.

    Each file is its own transaction: one bad file does not stop the others, and a run
    killed part-way keeps what it imported.
    """
    root = Path(root).resolve()
    if not root.is_dir():
        raise DockError(f"{root} is not a folder")
    require_uploader(station)
    patterns = patterns if patterns is not None else compile_patterns()
    entries, ignored = scan(root)
    done = set(DockFile.objects.filter(station=station).values_list("path", "size", "mtime_ns"))
    todo = [entry for entry in entries if entry.key not in done]
    report = DockReport(
        root=readable_name(str(root)),
        station=station.serial,
        found=len(entries),
        ignored=ignored,
        skipped=len(entries) - len(todo),
    )
    if on_start is not None:
        on_start(report, len(todo))
    started = time.monotonic()
    try:
        for number, entry in enumerate(todo, 1):
            began = time.monotonic()
            try:
                outcome = _import_file(station, entry, patterns)
            except Exception as exc:  # one bad file must not stop the others; reported below
                outcome = FileResult("failed", reason=failure(exc))
            if outcome.status == "failed":
                report.failed.append((entry.relpath, outcome.reason))
            elif outcome.status == "skipped":
                report.skipped += 1
            else:
                report.bytes += entry.size
                report.imported += outcome.status == "imported"
                report.linked += outcome.status == "linked"
                report.flagged += outcome.flagged
            if progress is not None:
                progress(number, len(todo), entry, outcome, time.monotonic() - began)
    except BaseException as exc:
        # The run stopped outside any one file (its output closed, an interrupt): what it
        # did is committed file by file, and the log must still say so.
        report.interrupted = f"{type(exc).__name__}: {exc}"[:300]
        raise
    finally:
        report.seconds = time.monotonic() - started
        _record_run(station, report)
    return report


def _record_run(station: Device, report: DockReport) -> None:
    """The run's one audit event, whatever became of its files."""
    with transaction.atomic(durable=True):
        audit.record(
            MediaEvents.DOCK_IMPORT,
            actor=station,
            obj=station,
            outcome=Outcome.OK if report.ok else Outcome.FAILED,
            details=report.as_dict(),
        )


def _import_file(station: Device, entry: DockEntry, patterns: list[NamePattern]) -> FileResult:
    """Store one file's bytes (read once) and record them with their :class:`DockFile`.

    The bytes are stored before the transaction (a large file); a run killed in between
    leaves a stored blob without a record, which the next run finds again.
    """
    if len(entry.relpath) > PATH_MAX:
        raise DockError(f"the path is longer than {PATH_MAX} characters")
    described = describe(entry.relpath, entry.sidecar, patterns)
    described.metadata["dock"]["station"] = station.serial
    with open_regular(entry.path) as handle:
        blob = store_blob(handle)
    # A file still being copied from the recorder is not taken half-way: next run.
    after = entry.path.stat()
    if (blob.size, after.st_size, after.st_mtime_ns) != (entry.size, entry.size, entry.mtime_ns):
        raise FileChanged("the file changed while it was read; run the import again")
    name = PurePosixPath(entry.relpath).name
    file_time = capture.file_time(blob, name)
    try:
        with transaction.atomic(durable=True):
            record = (
                AvRecord.objects.filter(
                    blob=blob, via_device=station, source=AvSource.DOCK, original_name=name[:255]
                )
                .order_by("pk")
                .first()
            )
            status = "linked" if record is not None else "imported"
            if record is None:
                record = _create_record(
                    station,
                    blob,
                    original_name=name,
                    file_time=file_time,
                    source=AvSource.DOCK,
                    device=described.device,
                    officer=described.officer,
                    captured_at=described.captured_at,
                    needs_labelling=bool(described.reasons),
                    metadata=described.metadata,
                )
            DockFile.objects.create(
                station=station,
                path=entry.relpath,
                size=entry.size,
                mtime_ns=entry.mtime_ns,
                record=record,
            )
    except IntegrityError:
        # Another run on this station recorded the same file first (dock_file_once).
        if DockFile.objects.filter(station=station, path=entry.relpath).exists():
            return FileResult("skipped")
        raise
    return FileResult(status, record, flagged=status == "imported" and record.needs_labelling)
