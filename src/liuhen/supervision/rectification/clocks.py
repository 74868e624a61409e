"""The rectification clock (制度第二十三条): from the order to the deadline the supervisor
set, shown with the deadlines of the cases its findings are about. Registered in
``registry.deadline_providers``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from liuhen.cases.deadlines import Clock, local_date
from liuhen.cases.models import Case
from liuhen.core import rules
from liuhen.core.rule_types import Kind
from liuhen.supervision.models import OrderState, RectificationOrder
from liuhen.supervision.rectification.state import order_state


def order_clock(order: RectificationOrder, case: Case | None = None) -> Clock:
    rule = rules.get("rectification_period")
    state = order_state(order)
    met = None
    if state in (OrderState.CLOSED, OrderState.ESCALATED):
        last = order.verifications.order_by("-verified_at", "-id").first()
        met = local_date(last.verified_at) if last is not None else None
    started = local_date(order.ordered_at)
    assert started is not None
    return Clock(
        code="rectification",
        label=_("Rectification"),
        rule_key="rectification_period",
        citation=rule.citation,
        started_on=started,
        due=order.deadline,
        kind=str(Kind.CALENDAR_DAYS),
        ref=f"rectification:{order.pk}",
        case_id=case.pk if case is not None else None,
        met_on=met,
        case=case,
    )


class RectificationDeadline:
    """The clocks of the rectification orders about a case's findings. A list of cases
    learns in its own query which cases have an order at all (:meth:`prefetch`), so only
    those — few — read their orders."""

    label = _("Rectification")
    _flag = "_deadline_has_rectification"

    def prefetch(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        orders = RectificationOrder.objects.filter(findings__case=OuterRef("pk"))
        return queryset.annotate(**{self._flag: Exists(orders)})

    def __call__(self, case: Case) -> Iterable[Clock | None]:
        if case.pk is None or getattr(case, self._flag, True) is False:
            return []
        orders = RectificationOrder.objects.filter(findings__case=case).distinct()
        return [order_clock(order, case) for order in orders]


PROVIDERS = {"rectification": RectificationDeadline()}
