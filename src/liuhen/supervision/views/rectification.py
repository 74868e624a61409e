"""The rectification ledger and orders 责令限期整改 (制度第二十三条): ordering from findings,
the responsible person's report with evidence, and the supervisor's verification."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from liuhen.core import access, panels
from liuhen.core.blobs import get_store
from liuhen.supervision.actions import rectification as actions
from liuhen.supervision.models import (
    Finding,
    OrderState,
    RectificationEvidence,
    RectificationOrder,
)
from liuhen.supervision.perms import RectificationPerms
from liuhen.supervision.rectification import registers
from liuhen.supervision.rectification.catalogue import kind_label
from liuhen.supervision.rectification.forms import (
    OrderForm,
    ReportForm,
    VerifyForm,
    default_deadline,
    enforcement_people,
)
from liuhen.supervision.rectification.state import order_state
from liuhen.supervision.views._common import acting_user, units_for


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, RectificationPerms.LIST, request=request)
    orders, filters = registers.filtered_orders(request.user, request.GET)
    page = Paginator(orders, registers.PAGE_SIZE).get_page(request.GET.get("page"))
    for order in page:
        order.state = registers.state_of(order)  # type: ignore[attr-defined]
        order.state_label = OrderState(order.state).label  # type: ignore[attr-defined]
        order.overdue = registers.overdue(order)  # type: ignore[attr-defined]
    context = {
        "page": page,
        "unit": filters.get("unit", ""),
        "state": filters.get("state", ""),
        "filter_query": urlencode(filters),
        "units": units_for(acting_user(request)),
        "states": OrderState.choices,
    }
    return render(request, "supervision/rectification/list.html", context)


@login_required
def order_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    access.require(request.user, RectificationPerms.LIST, request=request)
    orders, filters = registers.filtered_orders(request.user, request.GET)
    return registers.ORDERS.export(request.user, orders, filters=filters, fmt=fmt, request=request)


@login_required
def order_new(request: HttpRequest) -> HttpResponse:
    """A new order, from the findings named in the address (``?finding=…``)."""
    user = acting_user(request)
    access.require(user, RectificationPerms.ORDER, request=request)
    wanted = [pk for pk in request.GET.getlist("finding") if pk.isdigit()][:50]
    findings = list(
        access.visible(user, Finding.objects.filter(pk__in=wanted).select_related("unit"))
    )
    unit = next((f.unit for f in findings if f.unit is not None), None)
    initial: dict[str, Any] = {
        "deadline": default_deadline(),
        "unit": unit.pk if unit else None,
        "requirement": "\n".join(f.summary for f in findings),
    }
    form = OrderForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        units=units_for(user),
        people=enforcement_people(),
    )

    def run(data: dict[str, Any]) -> RectificationOrder:
        return actions.order_rectification(
            user,
            unit=data["unit"],
            responsible=data["responsible"],
            requirement=data["requirement"],
            deadline=data["deadline"],
            findings=findings,
            request=request,
        )

    order = panels.submit(request, form, run, _("The rectification order was issued."))
    if order is not None:
        return redirect("supervision:rectification", pk=order.pk)
    for finding in findings:
        finding.kind_label = kind_label(finding.kind)  # type: ignore[attr-defined]
    context = {"form": form, "findings": findings}
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "supervision/rectification/new.html", context, status=status)


def _order(request: HttpRequest, pk: int, action: str = RectificationPerms.VIEW) -> Any:
    return access.get_visible_or_404(
        request.user,
        RectificationOrder.objects.select_related("unit", "responsible", "ordered_by"),
        action=action,
        request=request,
        pk=pk,
    )


@login_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    user = acting_user(request)
    state = order_state(order)
    do = request.POST.get("do") if request.method == "POST" else None
    report_form = ReportForm(
        request.POST if do == "report" else None, request.FILES if do == "report" else None
    )
    verify_form = VerifyForm(request.POST if do == "verify" else None)
    if do == "report":

        def report(data: dict[str, Any]) -> object:
            return actions.report_rectification(
                user, order, text=data["text"], files=data["evidence"], request=request
            )

        if panels.submit(request, report_form, report, _("The report was submitted.")):
            return redirect("supervision:rectification", pk=order.pk)
    elif do == "verify":

        def verify(data: dict[str, Any]) -> object:
            return actions.verify_rectification(
                user, order, verdict=data["verdict"], note=data["note"], request=request
            )

        if panels.submit(request, verify_form, verify, _("The verdict was recorded.")):
            return redirect("supervision:rectification", pk=order.pk)
    findings = list(order.findings.select_related("closure"))
    for finding in findings:
        finding.kind_label = kind_label(finding.kind)
    history: list[tuple[Any, str, Any]] = [(order.ordered_at, "order", order)]
    history += [
        (r.submitted_at, "report", r)
        for r in order.reports.select_related("submitted_by").prefetch_related("evidence")
    ]
    history += [
        (v.verified_at, "verification", v)
        for v in order.verifications.select_related("verified_by")
    ]
    history.sort(key=lambda row: row[0])
    context = {
        "order": order,
        "state": state,
        "state_label": OrderState(state).label,
        "findings": findings,
        "history": history,
        "report_form": report_form,
        "verify_form": verify_form,
        "can_report": state == OrderState.AWAITING_REPORT
        and access.can(user, RectificationPerms.REPORT, order),
        "can_verify": state in (OrderState.AWAITING_REPORT, OrderState.AWAITING_VERIFICATION)
        and access.can(user, RectificationPerms.VERIFY, order),
        "awaiting_verification": state == OrderState.AWAITING_VERIFICATION,
    }
    refused = bool(report_form.is_bound and report_form.errors)
    refused = refused or bool(verify_form.is_bound and verify_form.errors)
    return render(
        request, "supervision/rectification/detail.html", context, status=422 if refused else 200
    )


@login_required
def evidence_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = acting_user(request)
    evidence = access.get_visible_or_404(
        user,
        RectificationEvidence.objects.select_related("report__order"),
        action=RectificationPerms.VIEW,
        request=request,
        pk=pk,
    )
    actions.open_evidence(user, evidence, request=request)
    return FileResponse(
        get_store().open(evidence.blob_id),
        as_attachment=True,
        filename=evidence.name,
        content_type=evidence.content_type or "application/octet-stream",
    )
