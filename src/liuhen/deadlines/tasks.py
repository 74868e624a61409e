"""Background job: deadline reminders. The scheduler enqueues it every
``settings.DEADLINE_REMINDER_INTERVAL_SECONDS``; each clock is reminded once a day."""

from __future__ import annotations

from django_tasks import task

from liuhen.deadlines import actions


@task()
def send_deadline_reminders() -> int:
    return actions.send_reminders()
