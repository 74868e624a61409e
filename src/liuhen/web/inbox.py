"""我的待办 on the pages: the inbox (``core.inbox``) asked once per request, for the page,
the home page's block and the navbar's count alike."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from liuhen.core import inbox
from liuhen.core.inbox import Task

# How many entries the home page shows before "all my tasks".
ON_HOME = 8


def gathered(request: HttpRequest) -> list[Task] | None:
    """The tasks if this request has asked for them already."""
    return getattr(request, "_liuhen_tasks", None)


def tasks_of(request: HttpRequest) -> list[Task]:
    cached = gathered(request)
    if cached is None:
        cached = inbox.tasks_for(getattr(request, "user", None))
        request._liuhen_tasks = cached  # type: ignore[attr-defined]
    return cached


def context_for(request: HttpRequest) -> dict[str, Any]:
    tasks = tasks_of(request)
    return {"tasks": tasks[:ON_HOME], "task_count": len(tasks), "more_tasks": len(tasks) > ON_HOME}
