"""Pages for leads, the approval inbox and moving a case on. Views only call actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from liuhen.accounts import access
from liuhen.cases import approvals, leads, workflow
from liuhen.cases.forms import DecideForm, DeclineForm, FilingForm, LeadForm
from liuhen.cases.models import ApprovalRequest, Case, Lead, LeadStatus


@login_required
def lead_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "lead.list", request=request)
    rows = access.visible(request.user, Lead.objects.select_related("unit", "case"))[:200]
    return render(
        request,
        "cases/leads.html",
        {
            "leads": [(lead, leads.check_deadline(lead)) for lead in rows],
            "may_create": access.can(request.user, "lead.create", None),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def lead_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    access.require(user, "lead.create", None, request=request)
    form = LeadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lead = leads.record_lead(
                user,
                source=form.cleaned_data["source"],
                summary=form.cleaned_data["summary"],
                violation_date=form.cleaned_data["violation_date"],
                unit=user.unit,  # type: ignore[union-attr,arg-type]  # access checked above
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, str(_saved()))
            return redirect("cases:lead_detail", pk=lead.pk)
    return render(request, "cases/lead_form.html", {"form": form})


def _saved() -> str:
    from django.utils.translation import gettext

    return gettext("The lead has been recorded.")


@login_required
@require_http_methods(["GET", "POST"])
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_object_or_404(Lead.objects.select_related("unit", "case", "recorded_by"), pk=pk)
    access.require(request.user, "lead.view", lead, request=request)
    filing = FilingForm(request.POST if request.POST.get("do") == "file" else None)
    decline = DeclineForm(request.POST if request.POST.get("do") == "decline" else None)
    if request.method == "POST":
        try:
            if request.POST.get("do") == "file" and filing.is_valid():
                _request, warnings = leads.propose_filing(
                    request.user,
                    lead,
                    title=filing.cleaned_data["title"],
                    field=filing.cleaned_data["field"],
                    note=filing.cleaned_data["note"],
                    request=request,
                )
                for warning in warnings:
                    messages.warning(request, warning)
                return redirect("cases:lead_detail", pk=lead.pk)
            if request.POST.get("do") == "decline" and decline.is_valid():
                leads.decline_filing(
                    request.user, lead, note=decline.cleaned_data["note"], request=request
                )
                return redirect("cases:lead_detail", pk=lead.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return render(
        request,
        "cases/lead_detail.html",
        {
            "lead": lead,
            "deadline": leads.check_deadline(lead),
            "warnings": leads.limitation_warnings(lead.violation_date),
            "requests": lead.approval_requests.prefetch_related("approvals__approver"),
            "may_propose": lead.status == LeadStatus.OPEN
            and access.can(request.user, "lead.propose", lead),
            "filing": filing,
            "decline": decline,
        },
    )


@login_required
def approval_inbox(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "approval.list", request=request)
    return render(
        request,
        "cases/approvals.html",
        {"requests": approvals.inbox(request.user), "form": DecideForm()},  # type: ignore[arg-type]
    )


@login_required
@require_POST
def approval_decide(request: HttpRequest, pk: int) -> HttpResponse:
    approval_request = get_object_or_404(ApprovalRequest, pk=pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for ms in form.errors.values() for m in ms))
        return redirect("cases:approvals")
    try:
        approvals.decide(
            request.user,
            approval_request,
            approve=request.POST.get("decision") == "approve",
            opinion=form.cleaned_data["opinion"],
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        from django.utils.translation import gettext

        messages.success(request, gettext("Your decision has been signed."))
    return redirect("cases:approvals")


@login_required
@require_POST
def case_advance(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(Case, pk=pk)
    try:
        workflow.advance_stage(request.user, case, request=request)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("cases:detail", pk=case.pk)
