"""The archive packages' references to stored files (R18.4): a package's tar stays
stored. Registered by ``ArchivesConfig.ready()``."""

from __future__ import annotations

from liuhen.archives.models import ArchivePackage
from liuhen.core.blob_refs import Releasing, referenced_by


def references_blob(sha256: str, releasing: Releasing) -> bool:
    return referenced_by(ArchivePackage, "blob", sha256, releasing)
