"""我的待办 of rectification (制度第二十三条): the person an order names reports by its
deadline; a supervisor verifies the reports that came in."""

from __future__ import annotations

from typing import Any

from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liuhen.accounts.models import Role
from liuhen.accounts.policy import case_roles_only
from liuhen.core.inbox import Task
from liuhen.supervision.models import (
    RectificationOrder,
    RectificationReport,
    RectificationVerification,
    Verdict,
)

FINISHED = (Verdict.ACCEPTED, Verdict.ESCALATED)


def _with_times(orders: Any) -> Any:
    reports = RectificationReport.objects.filter(order=OuterRef("pk"))
    verdicts = RectificationVerification.objects.filter(order=OuterRef("pk"))
    finished = RectificationVerification.objects.filter(verdict__in=FINISHED)
    return orders.exclude(pk__in=finished.values("order_id")).annotate(
        last_report=Subquery(reports.values("order").annotate(t=Max("submitted_at")).values("t")),
        last_verdict=Subquery(verdicts.values("order").annotate(t=Max("verified_at")).values("t")),
    )


def _waiting_for_report(order: Any) -> bool:
    if order.last_report is None:
        return True
    return order.last_verdict is not None and order.last_verdict > order.last_report


def rectifications(user: Any) -> list[Task]:
    if not case_roles_only(user):
        return []
    today = timezone.localdate()
    tasks = []
    if user.has_role(Role.OFFICER, Role.UNIT_HEAD):
        mine = _with_times(RectificationOrder.objects.filter(responsible_id=user.pk))
        for order in mine.select_related("unit").order_by("deadline"):
            if not _waiting_for_report(order):
                continue
            tasks.append(
                Task(
                    kind=_("Rectification"),
                    label=_("Rectify and report with evidence"),
                    link=reverse("supervision:rectification", args=[order.pk]),
                    subject=order.unit.name,
                    due=order.deadline,
                    overdue=order.deadline < today,
                )
            )
    if user.has_role(Role.SUPERVISOR):
        waiting = _with_times(RectificationOrder.objects.filter(reports__isnull=False).distinct())
        for order in waiting.select_related("unit").order_by("deadline"):
            if _waiting_for_report(order):
                continue
            tasks.append(
                Task(
                    kind=_("Rectification"),
                    label=_("Verify the rectification report"),
                    link=reverse("supervision:rectification", args=[order.pk]),
                    subject=order.unit.name,
                    due=order.deadline,
                )
            )
    return tasks


PROVIDERS = {"rectifications": rectifications}
