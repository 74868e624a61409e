"""The case files' references to stored files (R18.4): a bound PDF is never removed.
Registered by ``ArchivesConfig.ready()``."""

from __future__ import annotations

from liuhen.archives.models import CaseFile
from liuhen.core.blob_refs import Releasing, referenced_by


def references_blob(sha256: str, releasing: Releasing) -> bool:
    return referenced_by(CaseFile, "bound", sha256, releasing)
