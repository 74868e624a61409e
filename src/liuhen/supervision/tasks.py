"""Background tasks of supervision that the scheduler enqueues by name: each calls an
action as the system."""

from __future__ import annotations

from django_tasks import task

from liuhen.supervision.actions import catalogue


@task()
def raise_daily_findings() -> dict[str, int]:
    """Raise the findings the catalogue detects (deduplicated: a second run in the same
    interval raises nothing new)."""
    return catalogue.raise_daily_findings()
