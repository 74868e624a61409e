"""Background tasks of supervision, enqueued by name by the scheduler."""

from __future__ import annotations

from django_tasks import task

from liuhen.core import audit
from liuhen.supervision.actions import statistics


@task()
def refresh_statistics() -> int:
    """R22.1: the dashboard's daily figures, counted afresh (hourly)."""
    return statistics.refresh_figures(audit.SYSTEM).rows
