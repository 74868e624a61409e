"""The registers 台账 of findings, rectification orders and accountability records
(制度第二十二条、第二十三条): one filter for each list and its exports, and the columns
(the register kit, ``core.registers``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liuhen.core import access
from liuhen.core.basis import basis
from liuhen.core.registers import (
    Column,
    Filters,
    Register,
    date_filters,
    local_date,
    unit_filter,
    within_dates,
    yes,
)
from liuhen.supervision.events import (
    AccountabilityEvents,
    FindingRegisterEvents,
    RectificationEvents,
)
from liuhen.supervision.models import (
    AccountabilityRecord,
    Finding,
    FindingClosure,
    OrderState,
    RectificationOrder,
    RectificationReport,
    RectificationVerification,
    Severity,
    Verdict,
)
from liuhen.supervision.perms import AccountabilityPerms, FindingPerms, RectificationPerms
from liuhen.supervision.rectification.catalogue import kind_label

PAGE_SIZE = 50
OPEN, CLOSED = "open", "closed"

# --- findings -------------------------------------------------------------------------


def filtered_findings(
    user: Any, params: Mapping[str, Any]
) -> tuple[QuerySet[Finding], dict[str, str]]:
    """The findings ``user`` may see that match the filter (unit, kind, open or closed,
    severity, dates raised), newest first, and the filter as recognised."""
    findings = access.visible(
        user, Finding.objects.select_related("unit", "case", "closure", "officer")
    )
    filters = unit_filter(params)
    if filters:
        findings = findings.filter(unit_id=int(filters["unit"]))
    kind = str(params.get("kind") or "")
    if kind and len(kind) <= 64:
        findings = findings.filter(kind=kind)
        filters["kind"] = kind
    state = str(params.get("state") or "")
    if state in (OPEN, CLOSED):
        closed = Exists(FindingClosure.objects.filter(finding=OuterRef("pk")))
        findings = findings.filter(closed) if state == CLOSED else findings.exclude(closed)
        filters["state"] = state
    severity = str(params.get("severity") or "")
    if severity in Severity.values:
        findings = findings.filter(severity=severity)
        filters["severity"] = severity
    filters.update(date_filters(params))
    findings = within_dates(findings, "raised_at", Filters(filters))
    return findings.order_by("-raised_at", "-id"), filters


def _closure(finding: Finding) -> str:
    return str(finding.closure.get_how_display()) if not finding.is_open else ""


class FindingRegister(Register[Finding]):
    title = _("Findings register")
    file_stem = "findings-register"
    permission = FindingPerms.LIST
    event = FindingRegisterEvents.EXPORT
    object_type = "supervision.finding"
    columns = (
        Column(_("Raised"), lambda f: f.raised_at),
        Column(_("Kind"), lambda f: kind_label(f.kind)),
        Column(_("Basis"), lambda f: basis(f.article)),
        Column(_("Severity"), lambda f: f.get_severity_display()),
        Column(_("Unit"), lambda f: f.unit.name if f.unit else ""),
        Column(_("Officer"), lambda f: f.officer.display_name if f.officer else ""),
        Column(_("Case"), lambda f: f.case.number if f.case else ""),
        Column(_("Summary"), lambda f: f.summary),
        Column(pgettext_lazy("finding", "Closed"), _closure),
    )


FINDINGS = FindingRegister()

# --- rectification orders ---------------------------------------------------------------


def with_state(orders: QuerySet[RectificationOrder]) -> QuerySet[RectificationOrder]:
    """Orders annotated with the times of their last report and verdict, and the verdict."""
    reports = RectificationReport.objects.filter(order=OuterRef("pk")).order_by(
        "-submitted_at", "-id"
    )
    verdicts = RectificationVerification.objects.filter(order=OuterRef("pk")).order_by(
        "-verified_at", "-id"
    )
    annotated = orders.annotate(
        last_report_at=Subquery(reports.values("submitted_at")[:1]),
        last_verdict_at=Subquery(verdicts.values("verified_at")[:1]),
        last_verdict=Subquery(verdicts.values("verdict")[:1]),
    )
    # The same rule as :func:`state_of`, in SQL, so that the ledger filters and pages by
    # state in the database instead of reading every order.
    return annotated.annotate(
        order_state=Case(
            When(last_verdict=Verdict.ACCEPTED, then=Value(OrderState.CLOSED.value)),
            When(last_verdict=Verdict.ESCALATED, then=Value(OrderState.ESCALATED.value)),
            When(
                Q(last_report_at__isnull=False)
                & (Q(last_verdict_at__isnull=True) | Q(last_report_at__gt=F("last_verdict_at"))),
                then=Value(OrderState.AWAITING_VERIFICATION.value),
            ),
            default=Value(OrderState.AWAITING_REPORT.value),
            output_field=CharField(),
        )
    )


def state_of(order: Any) -> str:
    """The state of an order annotated by :func:`with_state` (no query)."""
    if order.last_verdict == Verdict.ACCEPTED:
        return OrderState.CLOSED
    if order.last_verdict == Verdict.ESCALATED:
        return OrderState.ESCALATED
    if order.last_report_at is not None and (
        order.last_verdict_at is None or order.last_report_at > order.last_verdict_at
    ):
        return OrderState.AWAITING_VERIFICATION
    return OrderState.AWAITING_REPORT


def filtered_orders(
    user: Any, params: Mapping[str, Any]
) -> tuple[QuerySet[RectificationOrder], dict[str, str]]:
    orders = with_state(
        access.visible(user, RectificationOrder.objects.select_related("unit", "responsible"))
    )
    filters = unit_filter(params)
    if filters:
        orders = orders.filter(unit_id=int(filters["unit"]))
    orders = orders.order_by("-ordered_at", "-id")
    state = str(params.get("state") or "")
    if state in OrderState.values:
        filters["state"] = state
        orders = orders.filter(Q(order_state=state))
    return orders, filters


def overdue(order: Any) -> bool:
    return state_of(order) == OrderState.AWAITING_REPORT and order.deadline < timezone.localdate()


class RectificationRegister(Register[RectificationOrder]):
    title = _("Rectification ledger")
    file_stem = "rectification-ledger"
    permission = RectificationPerms.LIST
    event = RectificationEvents.EXPORT
    object_type = "supervision.rectificationorder"
    columns = (
        Column(_("Ordered"), lambda o: local_date(o.ordered_at)),
        Column(_("Responsible unit"), lambda o: o.unit.name),
        Column(_("Responsible person"), lambda o: o.responsible.display_name),
        Column(_("What must be rectified"), lambda o: o.requirement),
        Column(_("Rectify by"), lambda o: o.deadline),
        Column(_("State"), lambda o: OrderState(state_of(o)).label),
        Column(_("Overdue"), lambda o: yes(overdue(o))),
    )


ORDERS = RectificationRegister()

# --- accountability -------------------------------------------------------------------------


def filtered_records(
    user: Any, params: Mapping[str, Any]
) -> tuple[QuerySet[AccountabilityRecord], dict[str, str]]:
    records = access.visible(user, AccountabilityRecord.objects.select_related("unit", "person"))
    filters = unit_filter(params)
    if filters:
        records = records.filter(unit_id=int(filters["unit"]))
    return records.order_by("-decided_on", "-id"), filters


class AccountabilityRegister(Register[AccountabilityRecord]):
    title = _("Accountability ledger")
    file_stem = "accountability-ledger"
    permission = AccountabilityPerms.LIST
    event = AccountabilityEvents.EXPORT
    object_type = "supervision.accountabilityrecord"
    columns = (
        Column(_("Decided on"), lambda r: r.decided_on),
        Column(_("Unit"), lambda r: r.unit.name),
        Column(_("Person held responsible"), lambda r: r.person.display_name if r.person else ""),
        Column(pgettext_lazy("accountability", "Facts"), lambda r: r.facts),
        Column(_("Rule broken"), lambda r: r.rule),
        Column(pgettext_lazy("accountability", "Decision"), lambda r: r.decision),
        Column(_("Decision document"), lambda r: r.decision_document),
    )


ACCOUNTABILITY = AccountabilityRegister()
