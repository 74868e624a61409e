"""Is a stored file still needed? The link point between the blob store and the apps.

Identical bytes are stored once (content addressing), so one blob may belong to several
records — two AV records of the same clip, a thumbnail, later a scan in a case file. A
blob may be removed after approved disposal (R18.4) only when nothing refers to it any
more. Each app that keeps ``core.Blob`` references registers a check in its
``AppConfig.ready()`` (``registry.blob_references``); the blob store stays free of the
apps' models.

A check is called with the SHA-256 and ``releasing``: the rows that the caller is letting
go of in its current transaction, by model label (``{"media.avrecord": {12, 13}}``) — a
disposal asks before its own rows are written, and those rows must not count.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from django.db.models import Model

from liuhen.core import registry
from liuhen.core.models import BlobRemoval

Releasing = Mapping[str, Collection[Any]]
ReferenceCheck = Callable[[str, Releasing], bool]


def is_referenced(sha256: str, *, releasing: Releasing | None = None) -> bool:
    """Does any app still refer to the blob ``sha256`` (apart from ``releasing``)?"""
    return any(check(sha256, releasing or {}) for check in registry.blob_references.values())


def referenced_by(model: type[Model], field: str, sha256: str, releasing: Releasing) -> bool:
    """Does a row of ``model`` refer to the blob through ``field``, apart from the rows
    being released?"""
    rows: Any = model._default_manager.filter(**{f"{field}_id": sha256})
    gone = releasing.get(model._meta.label_lower, ())
    if gone:
        rows = rows.exclude(pk__in=list(gone))
    return bool(rows.exists())


def release(sha256: str, releasing: Releasing, removed: set[str], reason: str) -> bool:
    """Record the blob's removal if nothing else refers to it; True if it goes. The bytes
    are deleted only after the caller's transaction commits (a rollback keeps them)."""
    if sha256 in removed:
        return True
    if is_referenced(sha256, releasing=releasing):
        return False
    # Bytes removed before and stored again since have a restored earlier removal; each
    # removal is its own write-once row.
    if not BlobRemoval.objects.filter(blob_id=sha256, restore__isnull=True).exists():
        BlobRemoval.objects.create(blob_id=sha256, reason=reason[:300])
    removed.add(sha256)
    return True
