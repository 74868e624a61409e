"""Is a stored file still needed? The link point between the blob store and the apps.

Identical bytes are stored once (content addressing), so one blob may belong to several
records — two AV records of the same clip, a thumbnail, later a scan in a case file. A
blob may be removed after approved disposal (R18.4) only when nothing refers to it any
more. Each app that keeps ``core.Blob`` references registers a check here; the blob store
stays free of the apps' models (the media app registers its own in ``MediaConfig.ready``,
the documents app will register one too).

A check is called with the SHA-256 and ``releasing``: the rows that the caller is letting
go of in its current transaction, by model label (``{"media.avrecord": {12, 13}}``) — a
disposal asks before its own rows are written, and those rows must not count.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

Releasing = Mapping[str, Collection[Any]]
ReferenceCheck = Callable[[str, Releasing], bool]

_CHECKS: list[ReferenceCheck] = []


def register_reference_check(check: ReferenceCheck) -> ReferenceCheck:
    """Add a source of blob references (idempotent; usable as a decorator)."""
    if check not in _CHECKS:
        _CHECKS.append(check)
    return check


def unregister_reference_check(check: ReferenceCheck) -> None:
    if check in _CHECKS:
        _CHECKS.remove(check)


def is_referenced(sha256: str, *, releasing: Releasing | None = None) -> bool:
    """Does any app still refer to the blob ``sha256`` (apart from ``releasing``)?"""
    return any(check(sha256, releasing or {}) for check in _CHECKS)
