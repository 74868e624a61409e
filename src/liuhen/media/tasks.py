"""Background tasks of the AV records that the scheduler enqueues by name."""

from __future__ import annotations

from django_tasks import task

from liuhen.media import uploads


@task()
def expire_uploads() -> dict[str, int]:
    """Remove resumable uploads past their expiry and partial files left behind
    (enqueued by the scheduler)."""
    return uploads.expire_uploads().as_dict()
