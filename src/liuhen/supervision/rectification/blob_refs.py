"""The evidence files of rectification reports are kept as long as their rows (制度第二十三条).
Registered by ``SupervisionConfig.ready()``."""

from __future__ import annotations

from liuhen.core.blob_refs import Releasing, referenced_by
from liuhen.supervision.models import RectificationEvidence


def references_blob(sha256: str, releasing: Releasing) -> bool:
    return referenced_by(RectificationEvidence, "blob", sha256, releasing)
