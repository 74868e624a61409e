"""The case files' references to stored files (R18.4): a bound PDF is kept as long as its
file, and goes when the file is destroyed after approval. Registered by
``ArchivesConfig.ready()``."""

from __future__ import annotations

from liuhen.archives.models import CaseFile
from liuhen.core.blob_refs import Releasing


def references_blob(sha256: str, releasing: Releasing) -> bool:
    kept = CaseFile.objects.filter(bound_id=sha256, destruction__isnull=True)
    gone = releasing.get(CaseFile._meta.label_lower, ())
    if gone:
        kept = kept.exclude(pk__in=list(gone))
    return kept.exists()
