"""Disposal pages (R18.4): the custodian's list of candidates (tick, give the reason,
ask), the list of requests, and a request's page where the agency head decides.

Views parse input, call ``media.actions.retention`` and render. The request pages are for
who asks and who decides (``media.dispose_view``); anybody else is refused (403).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from liuhen.accounts.models import Unit
from liuhen.core import access, panels
from liuhen.media.actions import retention
from liuhen.media.forms import DecisionForm, RequestForm
from liuhen.media.models import DisposalRequest, DisposalStatus
from liuhen.media.perms import MediaPerms
from liuhen.media.retention import candidates as retention_rules
from liuhen.media.retention import requests as disposal_requests
from liuhen.media.views.helpers import acting_user

PAGE_SIZE = 100
REQUESTS_PAGE_SIZE = 50


@login_required
def candidates(request: HttpRequest) -> HttpResponse:
    """Records past retention; the custodian ticks some and asks (R18.4)."""
    access.require(request.user, MediaPerms.DISPOSE_REQUEST, request=request)
    unit = request.GET.get("unit", "")
    found = disposal_requests.with_people(
        access.visible(request.user, retention_rules.candidates())
    )
    if unit.isdigit():
        found = found.filter(unit_id=int(unit))
    form = RequestForm(request.POST if request.method == "POST" else None)
    chosen = request.POST.getlist("records")

    def ask(data: dict[str, Any]) -> DisposalRequest:
        return retention.request_disposal(
            acting_user(request), chosen, data["reason"], request=request
        )

    asked = panels.submit(request, form, ask, _("The disposal request was sent for approval."))
    if asked is not None:
        return redirect("media:disposal_request", pk=asked.pk)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "form": form,
        "chosen": set(chosen),
        "unit": unit,
        "units": access.visible(request.user, Unit.objects.order_by("name")),
        "retention_months": retention_rules.retention_months(),
        "cutoff": retention_rules.retention_cutoff(),
        "can_see_requests": True,
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "media/disposal.html", context, status=status)


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, MediaPerms.DISPOSE_VIEW, request=request)
    shown = request.GET.get("status", "")
    requests = disposal_requests.having_status(
        disposal_requests.with_status(
            access.visible(request.user, DisposalRequest.objects.order_by("-requested_at", "-pk"))
        ),
        shown,
    )
    page = Paginator(requests, REQUESTS_PAGE_SIZE).get_page(request.GET.get("page"))
    for asked in page:
        asked.status = disposal_requests.status_of(asked)  # type: ignore[attr-defined]
    context = {
        "page": page,
        "shown": shown,
        "statuses": DisposalStatus.choices,
        "can_ask": access.can(request.user, MediaPerms.DISPOSE_REQUEST),
    }
    return render(request, "media/disposal_requests.html", context)


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    access.require(user, MediaPerms.DISPOSE_VIEW, request=request)
    asked = access.get_visible_or_404(
        user,
        disposal_requests.with_status(DisposalRequest.objects.all()),
        action=MediaPerms.DISPOSE_VIEW,
        request=request,
        pk=pk,
    )
    decided = asked.decided  # type: ignore[attr-defined]
    may_decide = not decided and access.can(user, MediaPerms.DISPOSE_DECIDE, asked)
    own = asked.requested_by_id == user.pk
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        # A refusal is audited by the action; the form shows its message.
        access.require(user, MediaPerms.DISPOSE_DECIDE, asked, request=request)
        if form.is_valid():
            approve = form.cleaned_data["approved"]
            try:
                retention.decide(
                    user,
                    asked,
                    approve=approve,
                    opinion=form.cleaned_data["opinion"],
                    request=request,
                )
            except ValidationError as exc:
                panels.show_refusal(form, exc)
            else:
                if approve:
                    messages.success(request, _("Approved: the records are disposed of."))
                else:
                    messages.success(request, _("The disposal request was rejected."))
                return redirect("media:disposal_request", pk=asked.pk)
    context = {
        "asked": asked,
        "status": disposal_requests.status_of(asked),
        "rows": disposal_requests.rows_of(user, asked),
        "form": form,
        "may_decide": may_decide and not own,
        "own_request": may_decide and own,
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "media/disposal_request.html", context, status=status)
