"""The documents' references to stored files (R18.4): a blob is removed only when nothing
refers to it — an issued document's file, a party's or an officer's signature strokes, an
officer's enrolled signature or the seal image.
Registered by ``DocumentsConfig.ready()``."""

from __future__ import annotations

from liuhen.core.blob_refs import Releasing, referenced_by
from liuhen.documents.models import (
    DocumentFile,
    OfficerSignature,
    PartySignature,
    SealCertificate,
    SignatureEnrolment,
)


def references_blob(sha256: str, releasing: Releasing) -> bool:
    return any(
        referenced_by(model, field, sha256, releasing)
        for model, field in (
            (DocumentFile, "blob"),
            (PartySignature, "image"),
            (OfficerSignature, "image"),
            (SignatureEnrolment, "image"),
            (SealCertificate, "image"),
        )
    )
