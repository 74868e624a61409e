"""Background tasks of supervision that the scheduler enqueues by name: each calls an
action as the system."""

from __future__ import annotations

from django_tasks import task

from liuhen.core import audit
from liuhen.supervision.actions import catalogue, statistics


@task()
def refresh_statistics() -> int:
    """R22.1: the dashboard's daily figures, counted afresh (hourly)."""
    return statistics.refresh_figures(audit.SYSTEM).rows


@task()
def raise_daily_findings() -> dict[str, int]:
    """Raise the findings the catalogue detects (deduplicated: a second run in the same
    interval raises nothing new)."""
    return catalogue.raise_daily_findings()
