"""Disposal pages (R18.4): the custodian's list of candidates (tick, give the reason,
ask), the list of requests, and a request's page where the agency head decides.

Views parse input, call :mod:`liuhen.media.retention` and render.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liuhen.accounts.models import Unit
from liuhen.core import access
from liuhen.media import retention
from liuhen.media.models import (
    AvDisposal,
    AvRecord,
    DisposalDecision,
    DisposalRequest,
    DisposalStatus,
)
from liuhen.media.perms import MediaPerms

PAGE_SIZE = 100


class RequestForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the disposal"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control form-control-lg"}),
    )


class DecisionForm(forms.Form):
    # Set by the button pressed: approve (1) or reject (0).
    approved = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1"
    )
    opinion = forms.CharField(
        label=gettext_lazy("Opinion"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control form-control-lg"}),
    )


def _apply_error(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _may_see_requests(user: Any) -> bool:
    return access.can(user, MediaPerms.DISPOSE_REQUEST) or access.can(
        user, MediaPerms.DISPOSE_DECIDE
    )


def _require_requests(request: HttpRequest) -> None:
    if not _may_see_requests(request.user):
        # Audits the denial and raises.
        access.require(request.user, MediaPerms.DISPOSE_DECIDE, request=request)


def _records(qs: QuerySet[AvRecord]) -> QuerySet[AvRecord]:
    return qs.select_related("blob", "unit", "officer", "device")


@login_required
def candidates(request: HttpRequest) -> HttpResponse:
    """Records past retention; the custodian ticks some and asks (R18.4)."""
    access.require(request.user, MediaPerms.DISPOSE_REQUEST, request=request)
    unit = request.GET.get("unit", "")
    found = _records(access.visible(request.user, retention.candidates()))
    if unit.isdigit():
        found = found.filter(unit_id=int(unit))
    form = RequestForm(request.POST if request.method == "POST" else None)
    chosen = request.POST.getlist("records")
    if request.method == "POST" and form.is_valid():
        try:
            asked = retention.request_disposal(
                request.user, chosen, form.cleaned_data["reason"], request=request
            )
        except ValidationError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("The disposal request was sent for approval."))
            return redirect("media:disposal_request", pk=asked.pk)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "form": form,
        "chosen": set(chosen),
        "unit": unit,
        "units": Unit.objects.order_by("name"),
        "retention_days": retention.retention_days(),
        "cutoff": retention.retention_cutoff(),
        "can_see_requests": True,
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "media/disposal.html", context, status=status)


def _with_status(qs: QuerySet[DisposalRequest]) -> QuerySet[DisposalRequest]:
    decisions = DisposalDecision.objects.filter(request=OuterRef("pk"))
    return (
        qs.select_related("requested_by", "decision", "decision__by")
        .annotate(record_count=Count("items"))
        .annotate(decided=Exists(decisions))
    )


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    _require_requests(request)
    shown = request.GET.get("status", "")
    requests = _with_status(DisposalRequest.objects.order_by("-requested_at", "-pk"))
    if shown == DisposalStatus.PENDING:
        requests = requests.filter(decision__isnull=True)
    elif shown == DisposalStatus.APPROVED:
        requests = requests.filter(decision__approved=True)
    elif shown == DisposalStatus.REJECTED:
        requests = requests.filter(decision__approved=False)
    page = Paginator(requests, 50).get_page(request.GET.get("page"))
    for asked in page:
        asked.status = retention.status_of(asked)  # type: ignore[attr-defined]
    context = {
        "page": page,
        "shown": shown,
        "statuses": DisposalStatus.choices,
        "can_ask": access.can(request.user, MediaPerms.DISPOSE_REQUEST),
    }
    return render(request, "media/disposal_requests.html", context)


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_requests(request)
    asked = get_object_or_404(_with_status(DisposalRequest.objects.all()), pk=pk)
    user = request.user
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
                _apply_error(form, exc)
            else:
                if approve:
                    messages.success(request, _("Approved: the records are disposed of."))
                else:
                    messages.success(request, _("The disposal request was rejected."))
                return redirect("media:disposal_request", pk=asked.pk)
    items = _records(AvRecord.objects.filter(pk__in=asked.items.values("record_id")).order_by("pk"))
    disposals = {d.record_id: d for d in AvDisposal.objects.filter(decision__request=asked)}
    rows = [(record, disposals.get(record.pk)) for record in items]
    context = {
        "asked": asked,
        "status": retention.status_of(asked),
        "rows": rows,
        "form": form,
        "may_decide": may_decide and not own,
        "own_request": may_decide and own,
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "media/disposal_request.html", context, status=status)
