"""Background tasks of the audit log and the blob store. The scheduler enqueues
``sign_if_new_events`` every ``settings.AUDIT_SIGN_INTERVAL_SECONDS`` (R1.1: periodic
signed tree heads) and, when ``settings.BACKUP_DIR`` is set, ``scheduled_backup`` every
``settings.BACKUP_INTERVAL_SECONDS`` (R23.1)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django_tasks import task

from liuhen.core import audit
from liuhen.core.actions import audit_log
from liuhen.core.actions import backup as backup_actions
from liuhen.core.backup.crypto import Secret
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


@task()
def scheduled_backup() -> dict[str, Any] | None:
    """A backup set in ``settings.BACKUP_DIR`` with the key file, keeping the newest
    ``settings.BACKUP_KEEP`` sets; nothing when no backup folder is configured."""
    if not settings.BACKUP_DIR:
        return None
    report = backup_actions.back_up(
        audit.SYSTEM,
        Path(settings.BACKUP_DIR),
        Secret(key_file=Path(settings.BACKUP_KEY_FILE)),
        keep=settings.BACKUP_KEEP,
    )
    return report.as_dict()
