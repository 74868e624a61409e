"""The task worker's survival under ``liuhen serve``: the tasks a killed worker left
running are run again, and a heartbeat file tells ``/healthz`` the worker is alive.

``liuhen serve`` gives its worker a fixed id (host and port). Only one worker with that
id runs at a time (the supervisor restarts it after it died), so a task still marked
running under that id when the worker starts was abandoned by its predecessor: it goes
back to the queue. Every task of the project is idempotent (a second run finds the work
done or does the same thing again), so a task cut off half-way is simply run again.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from pathlib import Path

from django.db import transaction
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("liuhen.worker")


def requeue_abandoned(worker_id: str) -> list[str]:
    """Put the tasks left running by an earlier worker with this id back in the queue;
    returns their ids."""
    requeued = []
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update().filter(status=TaskResultStatus.RUNNING)
        for result in running:
            if result.worker_ids and result.worker_ids[-1] == worker_id:
                result.status = TaskResultStatus.READY
                result.started_at = None
                result.save(update_fields=["status", "started_at"])
                requeued.append(str(result.pk))
                logger.warning(
                    "task %s (%s) was running when worker %s stopped; queued again",
                    result.pk,
                    result.task_path,
                    worker_id,
                )
    return requeued


def beat(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()


def start_heartbeat(path: Path, every: float) -> threading.Thread:
    """Touch ``path`` every ``every`` seconds for as long as the process lives."""

    def run() -> None:
        while True:
            # A full disk or a removed directory must not stop the worker itself.
            with contextlib.suppress(OSError):
                beat(path)
            time.sleep(every)

    thread = threading.Thread(target=run, name="heartbeat", daemon=True)
    thread.start()
    return thread


def heartbeat_age(path: Path) -> float | None:
    """Seconds since the worker last touched ``path``; None if it never did."""
    try:
        return max(time.time() - path.stat().st_mtime, 0.0)
    except FileNotFoundError:
        return None
