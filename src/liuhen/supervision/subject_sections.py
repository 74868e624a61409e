"""The sections of a subject's page (R18.3) this app keeps: the findings about the
subject's cases, and the rectification orders those findings led to. Each narrowed by the
supervision policy (overseers see all, a unit head their own unit's, the person an order
names that order). Registered by ``SupervisionConfig.ready()``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from liuhen.core import access
from liuhen.core.basis import basis
from liuhen.subjects.sections import Entry, Section
from liuhen.supervision.models import (
    Finding,
    OrderState,
    RectificationOrder,
    RectificationReport,
    RectificationVerification,
)
from liuhen.supervision.rectification.catalogue import kind_label
from liuhen.supervision.rectification.state import state_from

T = TypeVar("T")
R = TypeVar("R")


class Rows(Generic[T, R]):
    """A queryset read as display rows: pages and counts like the queryset (one query for
    the count, one per page), each object turned into its row as it is read."""

    def __init__(self, queryset: QuerySet[Any], make: Callable[[Any], R]) -> None:
        self.queryset = queryset
        self.make = make

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[R]:
        return [self.make(obj) for obj in self.queryset[index]]

    def __iter__(self) -> Iterator[R]:
        return (self.make(obj) for obj in self.queryset)


@dataclass(frozen=True)
class FindingRow:
    finding: Finding
    kind: str
    state: str


@dataclass(frozen=True)
class OrderRow:
    order: RectificationOrder
    state: str


def _finding_row(finding: Finding) -> FindingRow:
    return FindingRow(finding, str(kind_label(finding.kind)), finding_state(finding))


def _findings(user: Any, subject: Any) -> Rows[Finding, FindingRow]:
    return Rows(
        access.visible(user, Finding.objects.filter(case__parties__subject=subject))
        .select_related("case", "unit", "closure")
        .order_by("-raised_at", "-id"),
        _finding_row,
    )


def finding_state(finding: Finding) -> str:
    if finding.is_open:
        return pgettext("finding", "Open")
    return str(finding.closure.get_how_display())


def _finding_entry(row: FindingRow) -> Entry:
    finding = row.finding
    return Entry(
        at=finding.raised_at,
        title=row.kind,
        detail=f"{finding.summary} · {row.state}",
        url=reverse("supervision:finding", args=[finding.pk]),
        case=finding.case.number if finding.case else "",
        facts={
            "severity": str(finding.get_severity_display()),
            "basis": basis(finding.article),
            "state": row.state,
            "unit": finding.unit.name if finding.unit else "",
        },
    )


def _orders(user: Any, subject: Any) -> Rows[RectificationOrder, OrderRow]:
    about = RectificationOrder.objects.filter(findings__case__parties__subject=subject)
    # An order about several of the subject's findings is one row.
    mine = RectificationOrder.objects.filter(pk__in=about.values("pk"))
    return Rows(
        access.visible(user, mine)
        .select_related("unit", "responsible")
        .prefetch_related(
            Prefetch(
                "verifications",
                RectificationVerification.objects.order_by("-verified_at", "-id"),
                to_attr="verdicts_newest_first",
            ),
            Prefetch(
                "reports",
                RectificationReport.objects.order_by("-submitted_at", "-id"),
                to_attr="reports_newest_first",
            ),
        )
        .order_by("-ordered_at", "-id"),
        lambda order: OrderRow(order, order_state_label(order)),
    )


def order_state_label(order: RectificationOrder) -> str:
    verdicts = getattr(order, "verdicts_newest_first", [])
    reports = getattr(order, "reports_newest_first", [])
    state = state_from(verdicts[0] if verdicts else None, reports[0] if reports else None)
    return str(OrderState(state).label)


def _order_entry(row: OrderRow) -> Entry:
    order, state = row.order, row.state
    return Entry(
        at=order.ordered_at,
        title=order.requirement[:80],
        detail=f"{order.unit.name} · {state}",
        url=reverse("supervision:rectification", args=[order.pk]),
        facts={
            "unit": order.unit.name,
            "deadline": order.deadline.isoformat(),
            "state": state,
        },
    )


FINDING_SECTION = Section(
    "findings",
    _("Findings"),
    "supervision/subject_findings.html",
    order=70,
    rows=_findings,
    entry=_finding_entry,
)
RECTIFICATION_SECTION = Section(
    "rectifications",
    _("Rectification orders"),
    "supervision/subject_rectifications.html",
    order=75,
    rows=_orders,
    entry=_order_entry,
)
