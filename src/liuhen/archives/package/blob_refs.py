"""The archive packages' references to stored files (R18.4): a package's tar stays stored
until its case file is destroyed after approval. Registered by ``ArchivesConfig.ready()``."""

from __future__ import annotations

from liuhen.archives.models import ArchivePackage
from liuhen.core.blob_refs import Releasing


def references_blob(sha256: str, releasing: Releasing) -> bool:
    kept = ArchivePackage.objects.filter(blob_id=sha256).exclude(
        case__case_file__destruction__isnull=False
    )
    gone = releasing.get(ArchivePackage._meta.label_lower, ())
    if gone:
        kept = kept.exclude(pk__in=list(gone))
    return kept.exists()
