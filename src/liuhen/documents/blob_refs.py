"""The documents' references to stored files (R18.4): a blob is removed only when nothing
refers to it — an issued document's file, a party's signature strokes, the seal image, or
a proof attached to a service record. Registered in ``DocumentsConfig.ready``."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from liuhen.core.blob_refs import Releasing


def _referenced_by(model: type[Model], field: str, sha256: str, releasing: Releasing) -> bool:
    rows: Any = model._default_manager.filter(**{f"{field}_id": sha256})
    gone = releasing.get(model._meta.label_lower, ())
    if gone:
        rows = rows.exclude(pk__in=list(gone))
    return bool(rows.exists())


def references_blob(sha256: str, releasing: Releasing) -> bool:
    from liuhen.delivery.models import ServiceAttachment
    from liuhen.documents.models import DocumentFile, PartySignature, SealCertificate

    return any(
        _referenced_by(model, field, sha256, releasing)
        for model, field in (
            (DocumentFile, "blob"),
            (PartySignature, "image"),
            (SealCertificate, "image"),
            (ServiceAttachment, "blob"),
        )
    )
