"""``liuhen scheduler``: enqueue periodic background tasks (started by ``liuhen serve``).

The schedule is a table of jobs; a new periodic job is a new row, not a loop. Each job is
enqueued for the task worker at start and then every ``interval`` seconds. A job whose
previous run is still waiting or running is not enqueued again, so a stopped worker
does not leave a pile of duplicates behind.

With several app servers each running ``liuhen serve`` every scheduler enqueues its jobs;
the jobs are written so that a second run in the same interval does nothing.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus

logger = logging.getLogger("liuhen.scheduler")


@dataclass(frozen=True)
class Job:
    name: str
    task: str  # dotted path of a django-tasks Task
    interval: Callable[[], int]  # seconds; read at start so settings apply


JOBS: tuple[Job, ...] = (
    # R1.1: sign a tree head periodically when the audit log has grown.
    Job(
        "audit-sign",
        "liuhen.core.tasks.sign_if_new_events",
        lambda: settings.AUDIT_SIGN_INTERVAL_SECONDS,
    ),
    # R1.1: the sealed PDF of the latest tree head for the paper file, once a local day
    # (the task skips a day already made, so looking every hour is harmless).
    Job("audit-head-pdf", "liuhen.documents.tasks.daily_tree_head_pdf", lambda: 3600),
    # Remind clocks due soon or overdue (each clock once a day).
    Job(
        "deadline-reminders",
        "liuhen.deadlines.tasks.send_deadline_reminders",
        lambda: settings.DEADLINE_REMINDER_INTERVAL_SECONDS,
    ),
    # R16.1, R23.1: re-hash a random sample of stored files once a local day (the task
    # itself skips a day already checked, so looking every hour is harmless).
    Job("fixity-sample", "liuhen.media.tasks.daily_fixity_sample", lambda: 3600),
    # Resumable uploads past their expiry, and partial files a crash left behind.
    Job("tus-expire", "liuhen.media.tasks.expire_uploads", lambda: 3600),
    # R11.1, Art. 72: the late surcharge of unpaid fines, once a local day.
    Job("payment-surcharge", "liuhen.delivery.tasks.daily_surcharges", lambda: 3600),
    # R19.1: push notices to parties that the gateway or the mail server did not take.
    Job("push-retry", "liuhen.delivery.tasks.retry_pushes", lambda: 600),
    # 制度第二十条: subjects, cases and decisions changed, for the provincial platform,
    # once a local day (the task skips a day already exported).
    Job("platform-export", "liuhen.cases.tasks.nightly_platform_export", lambda: 3600),
    # R22.1: the statistics dashboard's daily figures, counted afresh every hour.
    Job("statistics", "liuhen.supervision.tasks.refresh_statistics", lambda: 3600),
    # R23.1: the findings catalogue over open and recent cases and the other records,
    # raised once per dedupe key (a second run finds nothing new).
    Job("supervision-findings", "liuhen.supervision.tasks.raise_daily_findings", lambda: 3600),
    # R23.1: a backup set when LIUHEN_BACKUP_DIR is set (the task does nothing otherwise).
    Job(
        "backup",
        "liuhen.core.tasks.scheduled_backup",
        lambda: settings.BACKUP_INTERVAL_SECONDS,
    ),
)

_UNFINISHED = (TaskResultStatus.READY, TaskResultStatus.RUNNING)


class Scheduler:
    def __init__(self, jobs: tuple[Job, ...] = JOBS) -> None:
        self.jobs = jobs
        self.stopping = threading.Event()
        self._pending: dict[str, Any] = {}

    def stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping.set()

    def run(self) -> None:
        intervals = {job.name: job.interval() for job in self.jobs}
        due = dict.fromkeys(intervals, time.monotonic())
        while not self.stopping.is_set():
            # Long-lived process: drop a connection the database closed while we slept.
            close_old_connections()
            now = time.monotonic()
            for job in self.jobs:
                if due[job.name] <= now:
                    self.enqueue(job)
                    due[job.name] = now + intervals[job.name]
            wait = min(due.values(), default=now + 60) - time.monotonic()
            self.stopping.wait(max(wait, 0.1))

    def enqueue(self, job: Job) -> None:
        try:
            previous = self._pending.get(job.name)
            if previous is not None:
                previous.refresh()
                if previous.status in _UNFINISHED:
                    logger.info(
                        "%s: previous run still %s; not enqueued", job.name, previous.status
                    )
                    return
            self._pending[job.name] = import_string(job.task).enqueue()
            logger.info("%s: enqueued %s", job.name, job.task)
        except Exception:
            # A broken job must not stop the others (or the server): log and try next time.
            logger.exception("%s: could not enqueue %s", job.name, job.task)


class Command(BaseCommand):
    help = "Enqueue periodic background tasks; runs until SIGINT or SIGTERM."

    def handle(self, *args: Any, **options: Any) -> None:
        scheduler = Scheduler()
        signal.signal(signal.SIGINT, scheduler.stop)
        signal.signal(signal.SIGTERM, scheduler.stop)
        for job in scheduler.jobs:
            logger.info("schedule: %s every %ss (%s)", job.name, job.interval(), job.task)
        scheduler.run()
