"""Background tasks of the AV records that the scheduler enqueues by name: each calls an
action as the system."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from liuhen.core import audit
from liuhen.core import tasks as core_tasks
from liuhen.core.actions import blobs as blob_actions
from liuhen.media import integrity
from liuhen.media.actions import uploads


@task()
def expire_uploads() -> dict[str, int]:
    """Remove resumable uploads past their expiry and partial files left behind
    (enqueued by the scheduler)."""
    return uploads.expire_uploads(audit.SYSTEM).as_dict()


@task()
def daily_fixity_sample() -> dict[str, Any] | None:
    """Re-hash ``settings.FIXITY_SAMPLE_SIZE`` random blobs, once a local day (R16.1).

    The scheduler looks every hour; a run already today (sample or full) means nothing
    to do, so restarts and several schedulers do not check twice.
    """
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    if integrity.fixity_ran_since(midnight):
        return None
    report = blob_actions.run_fixity(audit.SYSTEM, sample=settings.FIXITY_SAMPLE_SIZE)
    # A deferred SM3 whose task was lost is reported and asked for again (the task is
    # idempotent: one already computed meanwhile is left as it is).
    for sha256 in report.without_sm3:
        core_tasks.compute_sm3.enqueue(sha256)
    return report.as_dict()
