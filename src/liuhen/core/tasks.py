"""Background tasks of the audit log and the blob store. The scheduler enqueues
``sign_if_new_events`` every ``settings.AUDIT_SIGN_INTERVAL_SECONDS`` (R1.1: periodic
signed tree heads)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from liuhen.core import audit
from liuhen.core.actions import audit_log
from liuhen.core.blobs import complete_sm3


@task()
def sign_if_new_events() -> dict[str, Any] | None:
    """Sign a tree head when events were appended since the latest one (see
    :func:`liuhen.core.actions.audit_log.sign_if_new_events`)."""
    return audit_log.sign_if_new_events(audit.SYSTEM)


@task()
def compute_sm3(sha256: str) -> str:
    """``LIUHEN_INGEST_SM3=deferred``: the SM3 of a blob stored with SHA-256 only, in one
    read, kept as ``core.BlobSm3`` and beside the blob."""
    return complete_sm3(sha256)
