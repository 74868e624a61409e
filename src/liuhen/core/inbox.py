"""我的待办: what each person must do next, gathered from the apps' task providers.

An app that knows of work waiting for someone registers a provider in
``registry.task_providers`` (``(user) -> list[Task]``); this module asks them all. The inbox
is read on every page (the navbar's count), so a provider answers with one or two indexed
queries and only for the people its work can concern (check the role first).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from liuhen.core import registry


@dataclass(frozen=True)
class Task:
    """One entry of 我的待办: what to do, about what, by when, and where to do it."""

    kind: str | Promise  # what sort of work, as people say it: 审批, 法制审核 …
    label: str | Promise  # what exactly to do
    link: str  # the page that does it
    subject: str = ""  # the case number (or the thing) it concerns
    due: dt.date | None = None
    overdue: bool = False


def tasks_for(user: Any) -> list[Task]:
    """Everything waiting for ``user``, overdue first, then by due date (undated last)."""
    if not getattr(user, "is_authenticated", False):
        return []
    found: list[Task] = []
    for provider in registry.task_providers.values():
        found.extend(provider(user))
    return sorted(found, key=lambda t: (not t.overdue, t.due is None, t.due or dt.date.max))


def count_for(user: Any) -> int:
    return len(tasks_for(user))
