"""Background tasks of payment and of the party's notices: the daily late surcharge
(R11.1, 行政处罚法 Art. 72) and the retry of failed push notices (R19.1).

The scheduler's job "payment-surcharge" enqueues :func:`daily_surcharges` every hour; the
action works once a local day, so restarts and several schedulers do not recompute twice.
The job "push-retry" enqueues :func:`retry_pushes` every ten minutes.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task

from liuhen.core import audit
from liuhen.delivery.actions import payments, push


@task()
def daily_surcharges() -> dict[str, Any] | None:
    return payments.daily_surcharges(audit.SYSTEM)


@task()
def retry_pushes() -> dict[str, int]:
    return push.retry_pushes()
