"""The subjects' references to stored files (R18.4): a licence file fetched from the data
exchange keeps its stored file. Registered by ``SubjectsConfig.ready()``."""

from __future__ import annotations

from liuhen.core.blob_refs import Releasing, referenced_by
from liuhen.subjects.models import ExchangeRecord


def references_blob(sha256: str, releasing: Releasing) -> bool:
    return referenced_by(ExchangeRecord, "blob", sha256, releasing)
