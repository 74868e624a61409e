"""Background tasks of payment: the daily late surcharge (R11.1, 行政处罚法 Art. 72).

The scheduler's job "payment-surcharge" enqueues :func:`daily_surcharges` every hour; it
works once a local day, so restarts and several schedulers do not recompute twice.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django_tasks import task

from liuhen.delivery.events import PaymentEvents


@task()
def daily_surcharges() -> dict[str, Any] | None:
    from liuhen.core.models import AuditEvent
    from liuhen.delivery.payment_actions import refresh_surcharges

    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    if AuditEvent.objects.filter(action=PaymentEvents.SURCHARGE, time__gte=midnight).exists():
        return None
    today = timezone.localdate()
    return {"on": today.isoformat(), "notices": refresh_surcharges(today)}
