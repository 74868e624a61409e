"""Where a rectification order stands, read from its write-once rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from liuhen.supervision.models import OrderState, RectificationOrder, Verdict


def order_state(order: RectificationOrder) -> str:
    """Closed or escalated by the last verdict; otherwise waiting for a verdict when a
    report came after the last one, else for a report."""
    last_verdict = order.verifications.order_by("-verified_at", "-id").first()
    last_report = order.reports.order_by("-submitted_at", "-id").first()
    return state_from(last_verdict, last_report)


def state_from(last_verdict: Any, last_report: Any) -> str:
    """The state given the order's last verification and last report (either may be
    None): lists that prefetched them read it without a query per order."""
    if last_verdict is not None and last_verdict.verdict == Verdict.ACCEPTED:
        return OrderState.CLOSED
    if last_verdict is not None and last_verdict.verdict == Verdict.ESCALATED:
        return OrderState.ESCALATED
    if last_report is not None and (
        last_verdict is None or last_report.submitted_at > last_verdict.verified_at
    ):
        return OrderState.AWAITING_VERIFICATION
    return OrderState.AWAITING_REPORT


def is_overdue(order: RectificationOrder, state: str, today: dt.date | None = None) -> bool:
    """Past its deadline with no report in."""
    today = today or timezone.localdate()
    return state == OrderState.AWAITING_REPORT and order.deadline < today
