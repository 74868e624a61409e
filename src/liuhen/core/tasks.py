"""Background tasks of the audit log. The scheduler enqueues ``sign_if_new_events``
every ``settings.AUDIT_SIGN_INTERVAL_SECONDS`` (R1.1: periodic signed tree heads)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django_tasks import task

from liuhen.core import audit
from liuhen.core.audit import latest_seq
from liuhen.core.blobs import complete_sm3
from liuhen.core.events import AuditLogEvents
from liuhen.core.models import Outcome
from liuhen.core.treehead import InconsistentLog, as_dict, latest_head, sign_tree_head

logger = logging.getLogger(__name__)


@task()
def sign_if_new_events() -> dict[str, Any] | None:
    """Sign a tree head when events were appended since the latest one; else do nothing.

    Writes no audit event when it signs (a signing event would itself be "new" and make
    every period sign again); a refusal to sign a tampered log is recorded.
    """
    head = latest_head()
    size = latest_seq()
    if size == 0 or (head is not None and head.tree_size >= size):
        return None
    try:
        return as_dict(sign_tree_head())
    except InconsistentLog:
        # R23.1: the log was tampered with; say so loudly, never sign over it.
        logger.exception("audit log not signed")
        with transaction.atomic():
            audit.record(
                AuditLogEvents.SIGN,
                object_type="core.treehead",
                outcome=Outcome.FAILED,
                details={"reason": "the log does not extend the latest signed tree head"},
            )
        return None


@task()
def compute_sm3(sha256: str) -> str:
    """``LIUHEN_INGEST_SM3=deferred``: the SM3 of a blob stored with SHA-256 only, in one
    read, kept as ``core.BlobSm3`` and beside the blob."""
    return complete_sm3(sha256)
