"""``liuhen task_worker``: django-tasks-db's ``db_worker`` as ``liuhen serve`` runs it —
the tasks a killed predecessor with the same ``--worker-id`` left running are queued
again first, and a heartbeat file (``LIUHEN_WORKER_HEARTBEAT_FILE``) tells ``/healthz``
that the worker lives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from liuhen.web import worker


class Command(DbWorkerCommand):
    help = "Run the background-task worker; tasks a killed worker left running run again."

    def handle(self, *args: Any, **options: Any) -> None:
        requeued = worker.requeue_abandoned(options["worker_id"])
        if requeued:
            self.stdout.write(f"Queued again {len(requeued)} task(s) a stopped worker left.")
        if settings.WORKER_HEARTBEAT_FILE:
            worker.start_heartbeat(
                Path(settings.WORKER_HEARTBEAT_FILE), settings.WORKER_HEARTBEAT_SECONDS
            )
        super().handle(*args, **options)
