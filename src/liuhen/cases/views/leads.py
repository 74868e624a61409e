"""The lead pages: the list, recording a lead, and proposing its filing decision (R7.1)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from liuhen.cases import leads
from liuhen.cases.actions.filing import decline_filing, propose_filing, record_lead
from liuhen.cases.forms.leads import DeclineForm, FilingForm, LeadForm
from liuhen.cases.http import AuthenticatedRequest
from liuhen.cases.models import Lead, LeadStatus
from liuhen.cases.perms import LeadPerms
from liuhen.core import access, panels


@login_required
def lead_list(request: AuthenticatedRequest) -> HttpResponse:
    access.require(request.user, LeadPerms.LIST, request=request)
    rows = access.visible(request.user, Lead.objects.select_related("unit", "case"))[:200]
    return render(
        request,
        "cases/leads.html",
        {
            "leads": [(lead, leads.check_deadline(lead)) for lead in rows],
            "may_create": access.can(request.user, LeadPerms.CREATE, None),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def lead_create(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    access.require(user, LeadPerms.CREATE, None, request=request)
    form = LeadForm(request.POST or None)
    lead = panels.submit(
        request,
        form,
        lambda data: record_lead(
            user,
            source=data["source"],
            summary=data["summary"],
            violation_date=data["violation_date"],
            unit=user.unit,  # type: ignore[arg-type]  # access checked above: a unit
            request=request,
        ),
        gettext("The lead has been recorded."),
    )
    if lead is not None:
        return redirect("cases:lead_detail", pk=lead.pk)
    return render(request, "cases/lead_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def lead_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    lead = access.get_visible_or_404(
        request.user,
        Lead.objects.select_related("unit", "case", "recorded_by"),
        action=LeadPerms.VIEW,
        request=request,
        pk=pk,
    )
    filing = FilingForm(
        request.POST if request.POST.get("do") == "file" else None,
        user=request.user,
        unit=lead.unit,
    )
    decline = DeclineForm(request.POST if request.POST.get("do") == "decline" else None)
    if request.method == "POST":
        try:
            if request.POST.get("do") == "file" and filing.is_valid():
                _request, warnings = propose_filing(
                    request.user,
                    lead,
                    title=filing.cleaned_data["title"],
                    field=filing.cleaned_data["field"],
                    officers=filing.cleaned_data["officers"],
                    note=filing.cleaned_data["note"],
                    request=request,
                )
                for warning in warnings:
                    messages.warning(request, warning)
                return redirect("cases:lead_detail", pk=lead.pk)
            if request.POST.get("do") == "decline" and decline.is_valid():
                decline_filing(
                    request.user, lead, note=decline.cleaned_data["note"], request=request
                )
                return redirect("cases:lead_detail", pk=lead.pk)
        except ValidationError as exc:
            form = filing if request.POST.get("do") == "file" else decline
            panels.show_refusal(form, exc, renamed={"officer": "officers"})
    return render(
        request,
        "cases/lead_detail.html",
        {
            "lead": lead,
            "deadline": leads.check_deadline(lead),
            "warnings": leads.limitation_warnings(lead.violation_date),
            "requests": lead.approval_requests.prefetch_related("approvals__approver"),
            "proposed_officers": leads.proposed_officers(lead),
            "may_propose": lead.status == LeadStatus.OPEN
            and access.can(request.user, LeadPerms.PROPOSE, lead),
            "filing": filing,
            "decline": decline,
        },
    )
