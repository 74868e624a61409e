"""Collection-station import 采集站导入 (R15.1, R16.1): the folder, the station, the report.

A collection station copies recorders' files into a folder; the import
(``media.actions.dock.import_dock``, run by ``liuhen import-dock DIR --station ID``) walks
it (:func:`scan`) and makes each video, audio or photo file an AV record, acting as the
station (a registered station or terminal in service; :func:`find_station`). Each file is
read once (``store_blob``: SHA-256 and SM3 while writing). What its name and sidecar say is
worked out by ``media.ingest.dock_names.describe``; a file that says too little is still
imported, flagged for the custodian to label (R16.1).

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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from liuhen.core.blobs import StorageFull
from liuhen.devices.models import UPLOADING_KINDS, Device, DeviceStatus
from liuhen.devices.tokens import normal_serial
from liuhen.media.ingest.dock_names import SIDECAR_SUFFIXES, DockError
from liuhen.media.ingest.fields import content_type_of, kind_of
from liuhen.media.models import AvKind, AvRecord, DockFile

PATH_MAX = DockFile._meta.get_field("path").max_length or 500
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


def readable_name(name: str) -> str:
    """A file name as a person reads it, whatever encoding wrote it.

    Linux hands names that are not UTF-8 over as lone surrogates, which no database or
    audit line can hold. A station copying from a Windows share writes GBK: those bytes are
    read as GB 18030 (a superset); bytes neither encoding can read stay visible as ``\\xNN``.
    """
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        raw = os.fsencode(name)
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="backslashreplace")


def scan(root: Path) -> tuple[list[DockEntry], int]:
    """Media files under ``root`` (sorted by path) and how many other files were ignored.

    Hidden files and folders are skipped, symbolic links are not followed, sidecars and
    files that are not video, audio or photo are ignored (counted). ``relpath`` is the
    :func:`readable_name`; ``path`` is what the file system calls the file.
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
            if kind_of(content_type_of(name)) == AvKind.OTHER:
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
                    relpath=readable_name(path.relative_to(root).as_posix()),
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
    interrupted: str = ""

    @property
    def ok(self) -> bool:
        return not (self.failed or self.interrupted)

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
            "interrupted": self.interrupted,
        }


Progress = Callable[[int, int, DockEntry, FileResult, float], None]


def failure(exc: Exception) -> str:
    if isinstance(exc, DockError | FileChanged | StorageFull):
        return str(exc)
    if isinstance(exc, OSError):
        return f"cannot read: {exc.strerror or exc}"
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    # Not the file's fault: keep the traceback for whoever looks into it.
    logger.exception("dock import failed")
    return f"{type(exc).__name__}: {exc}"
