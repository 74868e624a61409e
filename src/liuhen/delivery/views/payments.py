"""The payment page of a decision (R11.1): where each notice stands, the surcharge of the
last days, payments received, reconsideration/litigation and deferral. Views only call
actions; a decision the person may not see answers 404 (audited)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from liuhen.cases.models import ApprovalStatus, Decision
from liuhen.core import access, navigation
from liuhen.core import panels as panels_
from liuhen.core.panels import Panel
from liuhen.delivery.actions import deferrals, payments, proceedings
from liuhen.delivery.forms import DeferralForm, ProceedingEndForm, ProceedingForm
from liuhen.delivery.models import RemedyProceeding
from liuhen.delivery.payment import gateway, status, surcharge
from liuhen.delivery.payment.status import PaymentStatus
from liuhen.delivery.perms import PaymentPerms
from liuhen.delivery.views.helpers import acting_user
from liuhen.documents.printing.qr import qr_data_uri

# How many days of the surcharge table the page shows (the latest ones).
TABLE_DAYS = 10


@dataclass(frozen=True)
class NoticeView:
    status: PaymentStatus
    qr: str  # data URI of the payment QR (open notices only)
    pay_url: str
    table: list[tuple[Any, int, int]]  # the last days' surcharge: (day, days late, fen)


def _notice_view(current: PaymentStatus) -> NoticeView:
    notice = current.notice
    url = gateway.gateway().pay_url(notice.number, notice.amount_fen) if current.open else ""
    table: list[tuple[Any, int, int]] = []
    if current.open and current.due_on is not None:
        table = surcharge.surcharge_table(
            notice.amount_fen, current.due_on, current.on, current.pauses
        )[-TABLE_DAYS:]
    return NoticeView(current, qr_data_uri(url) if url else "", url, table)


def _panels(request: HttpRequest, decision: Decision, found: list[PaymentStatus]) -> list[Panel]:
    user = acting_user(request)
    panels: list[Panel] = []
    if access.can(user, PaymentPerms.PROCEEDING, decision):
        running = decision.proceedings.filter(end__isnull=True).order_by("-started_on").first()
        if running is None:

            def start(data: dict[str, Any]) -> str:
                proceedings.record_proceeding(
                    user,
                    decision,
                    data["kind"],
                    data["started_on"],
                    data["note"],
                    request=request,
                )
                return _("The reconsideration or litigation has been recorded.")

            panels.append(
                Panel(
                    "proceeding",
                    _("Reconsideration or litigation"),
                    _("Record the proceeding"),
                    panels_.bound(request, "proceeding", ProceedingForm),
                    start,
                )
            )
        else:
            open_one: RemedyProceeding = running

            def end(data: dict[str, Any]) -> str:
                proceedings.end_proceeding(
                    user, open_one, data["ended_on"], data["outcome"], request=request
                )
                return _("The end of the proceeding has been recorded.")

            panels.append(
                Panel(
                    "end",
                    _("End of %(kind)s (since %(day)s)")
                    % {"kind": open_one.get_kind_display(), "day": f"{open_one.started_on}"},
                    _("Record the end"),
                    panels_.bound(request, "end", ProceedingEndForm),
                    end,
                )
            )
    open_notices = [s.notice for s in found if s.open]
    if open_notices and access.can(user, PaymentPerms.DEFERRAL, decision):
        by_number = {notice.number: notice for notice in open_notices}

        def defer(data: dict[str, Any]) -> str:
            deferrals.request_deferral(
                user,
                by_number[data["notice"]],
                reason=data["reason"],
                instalments=data["instalments"],
                request=request,
            )
            return _("The deferral has been sent for approval.")

        choices = [(n.number, f"{n.number} · ¥{n.amount_fen / 100:,.2f}") for n in open_notices]
        panels.append(
            Panel(
                "deferral",
                _("Deferred or instalment payment"),
                _("Send for approval"),
                panels_.bound(request, "deferral", DeferralForm, notices=choices),
                defer,
            )
        )
    return panels


@login_required
@navigation.belongs_to("cases")
@require_http_methods(["GET", "POST"])
def payment_page(request: HttpRequest, decision_id: int) -> HttpResponse:
    decision = access.get_visible_or_404(
        request.user,
        Decision.objects.select_related("case"),
        action=PaymentPerms.VIEW,
        request=request,
        pk=decision_id,
    )
    if request.method == "GET":
        payments.view_payments(acting_user(request), decision, request=request)
    found = status.statuses(decision)
    panels = _panels(request, decision, found)
    http_status = 200
    if request.method == "POST":
        panel = panels_.chosen(request, panels)
        if panel is None or panels_.run(request, panel):
            # Done, or nothing left to do here (e.g. recorded meanwhile).
            return redirect(request.path)
        http_status = 422
    context = {
        "decision": decision,
        "case": decision.case,
        "today": timezone.localdate(),
        "notices": [_notice_view(s) for s in found],
        "served_on": status.served_on(decision),
        "proceedings": decision.proceedings.select_related("end", "recorded_by").order_by(
            "started_on", "id"
        ),
        "deferrals": status.deferrals_of(decision),
        "pending": ApprovalStatus.PENDING,
        "panels": panels,
        "case_url": reverse("cases:detail", args=[decision.case_id]),
    }
    return render(request, "delivery/payments.html", context, status=http_status)
