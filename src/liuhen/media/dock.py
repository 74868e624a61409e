"""Collection-station import 采集站导入 (R15.1, R16.1): ``liuhen import-dock DIR --station ID``.

A collection station copies recorders' files into a folder; the import walks it and makes
each video, audio or photo file an AV record, acting as the station (a registered station
or terminal in service; ``find_station``). Each file is read once (``store_blob``: SHA-256
and SM3 while writing). What its name and sidecar say is worked out by
``media.dock_names.describe``; a file that says too little is still imported, flagged for
the custodian to label (R16.1).

Idempotent and resumable: a :class:`DockFile` row (station, path relative to the folder,
size, mtime) is written in the same transaction as the record, and a later run skips those
files without reading them. A run killed part-way leaves at most a stored blob without a
record (never half a blob: the store writes a temporary file and links it into place); the
next run reads that file again and the store keeps one copy. A file whose bytes are already
a record from this station under the same name (moved to another folder, touched, or
recorded by a run killed after its commit) is linked to that record, not recorded twice;
the same bytes under another name are another record, as the name carries its facts.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from liuhen.core import audit
from liuhen.core.blobs import store_blob
from liuhen.core.models import Outcome
from liuhen.devices.models import UPLOADING_KINDS, Device, DeviceStatus
from liuhen.devices.tokens import normal_serial
from liuhen.media import actions
from liuhen.media.dock_names import (
    SIDECAR_SUFFIXES,
    DockError,
    NamePattern,
    compile_patterns,
    describe,
    open_regular,
)
from liuhen.media.events import MediaEvents
from liuhen.media.models import AvKind, AvRecord, AvSource, DockFile

_PATH_MAX = DockFile._meta.get_field("path").max_length or 500
logger = logging.getLogger(__name__)


class FileChanged(Exception):
    """The file changed while it was read (still being copied from the recorder)."""


# --- the folder ----------------------------------------------------------------------


@dataclass(frozen=True)
class DockEntry:
    path: Path
    relpath: str
    size: int
    mtime_ns: int
    sidecar: Path | None = None

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.relpath, self.size, self.mtime_ns)


def scan(root: Path) -> tuple[list[DockEntry], int]:
    """Media files under ``root`` (sorted by path) and how many other files were ignored.

    Hidden files and folders are skipped, symbolic links are not followed, sidecars and
    files that are not video, audio or photo are ignored (counted).
    """
    entries: list[DockEntry] = []
    ignored = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        here = Path(folder)
        by_lower = {name.lower(): name for name in files}
        for name in sorted(files):
            path = here / name
            if name.startswith(".") or path.is_symlink():
                continue
            if actions.kind_of(actions.content_type_of(name)) == AvKind.OTHER:
                if Path(name).suffix.lower() not in SIDECAR_SUFFIXES:
                    ignored += 1
                continue
            try:
                stat = path.stat()
            except FileNotFoundError:  # removed while we looked
                continue
            sidecar = None
            for candidate in (Path(name).stem, name):
                for suffix in SIDECAR_SUFFIXES:
                    if (found := by_lower.get(f"{candidate}{suffix}".lower())) is not None:
                        sidecar = here / found
            entries.append(
                DockEntry(
                    path=path,
                    relpath=path.relative_to(root).as_posix(),
                    size=stat.st_size,
                    mtime_ns=stat.st_mtime_ns,
                    sidecar=sidecar,
                )
            )
    entries.sort(key=lambda e: e.relpath)
    return entries, ignored


# --- the run -------------------------------------------------------------------------


def find_station(ident: str) -> Device:
    """The station (or terminal) a run acts as, by serial number or id."""
    ident = str(ident or "").strip()
    device = Device.objects.filter(serial=normal_serial(ident)).first()
    if device is None and ident.isdigit():
        device = Device.objects.filter(pk=int(ident)).first()
    if device is None:
        raise DockError(f"no device with serial number or id {ident!r} is registered")
    if device.kind not in UPLOADING_KINDS:
        raise DockError(
            f"{device.serial} ({device.kind}) is not a collection station or enforcement terminal"
        )
    if device.status == DeviceStatus.RETIRED:
        raise DockError(f"{device.serial} is retired")
    return device


@dataclass(frozen=True)
class FileResult:
    """One file's result: ``imported``, ``linked`` (bytes already a record), ``skipped``
    (another run was faster) or ``failed``."""

    status: str
    record: AvRecord | None = None
    flagged: bool = False
    reason: str = ""


@dataclass
class DockReport:
    root: str
    station: str
    found: int = 0
    ignored: int = 0
    skipped: int = 0
    imported: int = 0
    linked: int = 0
    flagged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    bytes: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def as_dict(self) -> dict[str, Any]:
        return {
            "dir": self.root,
            "found": self.found,
            "ignored": self.ignored,
            "skipped": self.skipped,
            "imported": self.imported,
            "linked": self.linked,
            "flagged": self.flagged,
            "failed": [{"path": p, "reason": r} for p, r in self.failed[:100]],
            "failed_count": len(self.failed),
            "bytes": self.bytes,
            "seconds": round(self.seconds, 3),
        }


Progress = Callable[[int, int, DockEntry, FileResult, float], None]


def import_file(station: Device, entry: DockEntry, patterns: list[NamePattern]) -> FileResult:
    """Store one file's bytes (read once) and record them with their :class:`DockFile`."""
    if len(entry.relpath) > _PATH_MAX:
        raise DockError(f"the path is longer than {_PATH_MAX} characters")
    described = describe(entry.relpath, entry.sidecar, patterns)
    described.metadata["dock"]["station"] = station.serial
    with open_regular(entry.path) as handle:
        blob = store_blob(handle)
    # A file still being copied from the recorder is not taken half-way: next run.
    after = entry.path.stat()
    if (blob.size, after.st_size, after.st_mtime_ns) != (entry.size, entry.size, entry.mtime_ns):
        raise FileChanged("the file changed while it was read; run the import again")
    name = PurePosixPath(entry.relpath).name
    try:
        with transaction.atomic():
            record = (
                AvRecord.objects.filter(
                    blob=blob, via_device=station, source=AvSource.DOCK, original_name=name[:255]
                )
                .order_by("pk")
                .first()
            )
            status = "linked" if record is not None else "imported"
            if record is None:
                record = actions.register(
                    station,
                    blob,
                    original_name=name,
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


def import_dock(
    station: Device,
    root: Path | str,
    *,
    patterns: list[NamePattern] | None = None,
    progress: Progress | None = None,
    on_start: Callable[[DockReport, int], None] | None = None,
) -> DockReport:
    """Import every media file under ``root`` not imported before; one audit event."""
    root = Path(root).resolve()
    if not root.is_dir():
        raise DockError(f"{root} is not a folder")
    actions.require_uploader(station)
    patterns = patterns if patterns is not None else compile_patterns()
    entries, ignored = scan(root)
    done = set(DockFile.objects.filter(station=station).values_list("path", "size", "mtime_ns"))
    todo = [entry for entry in entries if entry.key not in done]
    report = DockReport(
        root=str(root),
        station=station.serial,
        found=len(entries),
        ignored=ignored,
        skipped=len(entries) - len(todo),
    )
    if on_start is not None:
        on_start(report, len(todo))
    started = time.monotonic()
    for number, entry in enumerate(todo, 1):
        began = time.monotonic()
        try:
            outcome = import_file(station, entry, patterns)
        except Exception as exc:  # one bad file must not stop the others; reported below
            outcome = FileResult("failed", reason=_failure(exc))
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
    report.seconds = time.monotonic() - started
    with transaction.atomic():
        audit.record(
            MediaEvents.DOCK_IMPORT,
            actor=station,
            obj=station,
            outcome=Outcome.OK if report.ok else Outcome.FAILED,
            details=report.as_dict(),
        )
    return report


def _failure(exc: Exception) -> str:
    if isinstance(exc, DockError | FileChanged):
        return str(exc)
    if isinstance(exc, OSError):
        return f"cannot read: {exc.strerror or exc}"
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    # Not the file's fault: keep the traceback for whoever looks into it.
    logger.exception("dock import failed")
    return f"{type(exc).__name__}: {exc}"
