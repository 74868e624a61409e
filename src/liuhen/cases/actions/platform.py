"""The nightly export to the provincial enforcement platform (制度第二十条): what changed
since the last run, written as one JSON Lines file; nothing new, no file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from liuhen.cases import platform
from liuhen.cases.events import PlatformEvents
from liuhen.cases.models import PlatformExported, PlatformExportMark
from liuhen.cases.perms import PlatformPerms
from liuhen.core import access, audit


def export_to_platform(actor: Any, directory: Path) -> Path | None:
    """Write the subjects, cases and decisions changed since the last run to a new file
    in ``directory`` and move the mark on; the file's path, or None when nothing changed.

    The file is written before the mark moves: a run that fails after writing sends the
    same records again next time, never loses them."""
    access.require(actor, PlatformPerms.EXPORT)
    mark, _ = PlatformExportMark.objects.get_or_create(id=PlatformExportMark.SINGLETON_ID)
    found = platform.changes(mark)
    fresh = platform.new_only(platform.lines(found))
    path = _write(directory, fresh) if fresh else None
    with transaction.atomic(durable=True):
        for line in fresh:
            PlatformExported.objects.update_or_create(
                kind=line.kind,
                object_id=line.object_id,
                defaults={"digest": line.digest, "exported_at": timezone.now()},
            )
        mark.last_seq = found.up_to
        mark.last_run_at = timezone.now()
        mark.save()
        audit.record(
            PlatformEvents.EXPORT,
            actor=actor,
            object_type="cases.platformexportmark",
            details={
                "file": path.name if path else "",
                "lines": len(fresh),
                "up_to": found.up_to,
            },
        )
    return path


def _write(directory: Path, lines: list[platform.Line]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    name = f"platform-{timezone.now():%Y%m%dT%H%M%S%f}.jsonl"
    # Written under a temporary name and renamed: the platform never reads half a file.
    handle, temporary = tempfile.mkstemp(dir=directory, suffix=".part")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        for line in lines:
            out.write(line.json() + "\n")
    target = directory / name
    os.replace(temporary, target)
    return target


def export_due(actor: Any, directory: Path) -> Path | None:
    """The scheduler's hourly look: export once a local day."""
    mark = PlatformExportMark.objects.filter(id=PlatformExportMark.SINGLETON_ID).first()
    last = mark.last_run_at if mark else None
    if last is not None and timezone.localdate(last) == timezone.localdate():
        return None
    return export_to_platform(actor, directory)
