"""我的待办 of the deadlines: the periods of one's own cases and leads that are overdue or
due soon (the reminders' threshold), each one click from its case or lead."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liuhen.cases.deadlines import Status
from liuhen.core import access
from liuhen.core.inbox import Task
from liuhen.deadlines import lists
from liuhen.deadlines.perms import DeadlinePerms


def deadlines_near(user: Any) -> list[Task]:
    if not access.can(user, DeadlinePerms.LIST_OWN):
        return []
    grouped = lists.my_clocks(user)
    tasks = []
    for clock in grouped.overdue + grouped.due_soon:
        if clock.case is not None:
            link = reverse("cases:detail", args=[clock.case.pk]) + "#section-deadlines"
            subject = clock.case.number
        elif clock.lead is not None:
            link = reverse("cases:lead_detail", args=[clock.lead.pk])
            subject = clock.lead.summary[:40]
        else:
            continue
        tasks.append(
            Task(
                kind=_("Deadline"),
                label=clock.label,
                link=link,
                subject=subject,
                due=clock.due,
                overdue=clock.status == Status.OVERDUE,
            )
        )
    return tasks


PROVIDERS = {"deadlines": deadlines_near}
