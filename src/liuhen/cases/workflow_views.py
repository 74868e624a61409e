"""Pages for leads, approvals and the workflow steps of a case. Views only call actions."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from liuhen.cases import approvals, decisions, leads, workflow
from liuhen.cases.forms import (
    AdvanceNoticeForm,
    CloseForm,
    ClosingRequestForm,
    DecideForm,
    DecisionForm,
    DeclineForm,
    DiscussionForm,
    FilingForm,
    LeadForm,
    LegalReviewForm,
    OnTheSpotForm,
    UrgentStartForm,
    WaiverForm,
    yuan_to_fen,
)
from liuhen.cases.models import (
    AdvanceNotice,
    ApprovalRequest,
    Case,
    Lead,
    LeadStatus,
    PenaltyKind,
)
from liuhen.cases.panels import Panel, bound, screen
from liuhen.cases.perms import ApprovalPerms, CasePerms, LeadPerms
from liuhen.core import access


@login_required
def lead_list(request: HttpRequest) -> HttpResponse:
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
def lead_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    access.require(user, LeadPerms.CREATE, None, request=request)
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
    access.require(request.user, LeadPerms.VIEW, lead, request=request)
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
            and access.can(request.user, LeadPerms.PROPOSE, lead),
            "filing": filing,
            "decline": decline,
        },
    )


@login_required
def approval_inbox(request: HttpRequest) -> HttpResponse:
    access.require(request.user, ApprovalPerms.LIST, request=request)
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
            experts=form.cleaned_data["experts"],
            expert_opinion=form.cleaned_data["expert_opinion"],
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


# --- workflow screens: each page checks access, validates its form and calls an action ---


def _case(request: HttpRequest, pk: int, action: str) -> Case:
    case = get_object_or_404(Case.objects.select_related("unit"), pk=pk)
    # GET and POST alike: a refused user gets 403 and an audited denial (R1.1).
    access.require(request.user, action, case, request=request)
    return case


def _chosen_subject(request: HttpRequest) -> dict[str, str]:
    """``?subject=<id>``: the party just entered on the subject form (it returns here)."""
    chosen = request.GET.get("subject", "")
    return {"subject": chosen} if chosen.isdigit() else {}


def _yuan(fen: int) -> str:
    return f"¥{fen / 100:,.2f}"


@login_required
@require_http_methods(["GET", "POST"])
def advance_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """R8.1 行政处罚事先告知, and R8.2 the party's waiver of rights on the latest notice."""
    case = _case(request, pk, CasePerms.CHANGE)
    user = request.user
    notice = case.advance_notices.order_by("-notified_at", "-id").first()

    def notify(data: dict[str, Any]) -> str:
        decisions.record_advance_notice(
            user,
            case,
            notified_at=data["notified_at"],
            notified_to=data["notified_to"],
            method=data["method"],
            penalty_kinds=data["penalty_kinds"],
            proposed_fine_fen=yuan_to_fen(data["proposed_fine_yuan"]),
            rights=data["rights"],
            request=request,
        )
        return gettext("The advance notice has been recorded.")

    def waive(data: dict[str, Any]) -> str:
        assert notice is not None
        decisions.record_waiver(
            user, notice, rights=data["rights"], statement=data["statement"], request=request
        )
        return gettext("The waiver has been recorded.")

    panels = [
        Panel(
            "notice",
            gettext("Advance notice of the penalty"),
            gettext("Record the notice"),
            bound(request, "notice", AdvanceNoticeForm),
            notify,
        )
    ]
    info = []
    if notice is not None:
        info.append((gettext("Latest notice"), _notice_summary(notice)))
        panels.append(
            Panel(
                "waiver",
                gettext("Waiver of rights"),
                gettext("Record the waiver"),
                bound(request, "waiver", WaiverForm),
                waive,
            )
        )
    return screen(request, title=gettext("Advance notice"), panels=panels, case=case, info=info)


def _notice_summary(notice: AdvanceNotice) -> str:
    kinds = dict(PenaltyKind.choices)
    return "{:%Y-%m-%d %H:%M} · {} · {} · {}".format(
        timezone.localtime(notice.notified_at),
        notice.notified_to,
        "、".join(str(kinds.get(k, k)) for k in notice.penalty_kinds),
        _yuan(notice.proposed_fine_fen),
    )


@login_required
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Art. 59 the penalty decision; the fine is entered in yuan and kept in fen."""
    case = _case(request, pk, CasePerms.CHANGE)
    form = bound(request, "decide", DecisionForm)
    notice = case.advance_notices.order_by("-notified_at", "-id").first()
    if notice is not None:
        # Art. 45: the decision may not exceed what was notified; show the ceiling.
        form.fields["fine_yuan"].help_text = gettext(
            "At most %(amount)s, as notified in the advance notice."
        ) % {"amount": _yuan(notice.proposed_fine_fen)}

    def run(data: dict[str, Any]) -> str:
        decision = decisions.record_decision(
            request.user,
            case,
            penalty_kinds=data["penalty_kinds"],
            fine_fen=yuan_to_fen(data["fine_yuan"]),
            facts=data["facts"],
            basis=data["basis"],
            request=request,
        )
        return gettext("Decision %(number)s has been recorded.") % {"number": decision.number}

    info = [(gettext("Latest notice"), _notice_summary(notice))] if notice is not None else []
    panel = Panel("decide", gettext("Penalty decision"), gettext("Record the decision"), form, run)
    return screen(request, title=gettext("Decision"), panels=[panel], case=case, info=info)


@login_required
@require_http_methods(["GET", "POST"])
def legal_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Art. 58 法制审核, by a legal reviewer who does not investigate the case."""
    case = _case(request, pk, CasePerms.LEGAL_REVIEW)

    def run(data: dict[str, Any]) -> str:
        decisions.record_legal_review(
            request.user, case, opinion=data["opinion"], result=data["result"], request=request
        )
        return gettext("The legal review has been recorded.")

    panel = Panel(
        "review",
        gettext("Legal review"),
        gettext("Sign the review"),
        bound(request, "review", LegalReviewForm),
        run,
    )
    return screen(request, title=gettext("Legal review"), panels=[panel], case=case)


@login_required
@require_http_methods(["GET", "POST"])
def discussion(request: HttpRequest, pk: int) -> HttpResponse:
    """R7.3 集体讨论记录 (R7.4 experts' opinion where they took part)."""
    case = _case(request, pk, CasePerms.CHANGE)

    def run(data: dict[str, Any]) -> str:
        decisions.record_discussion(
            request.user,
            case,
            held_at=data["held_at"],
            attendees=data["attendees"],
            opinions=data["opinions"],
            conclusion=data["conclusion"],
            other_attendees=data["other_attendees"],
            experts=data["experts"],
            expert_opinion=data["expert_opinion"],
            request=request,
        )
        return gettext("The collective discussion has been recorded.")

    panel = Panel(
        "discussion",
        gettext("Collective discussion"),
        gettext("Record the discussion"),
        bound(request, "discussion", DiscussionForm),
        run,
    )
    return screen(request, title=gettext("Collective discussion"), panels=[panel], case=case)


@login_required
@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, pk: int) -> HttpResponse:
    """结案: ask for approval of the closing report, then close with a condition."""
    case = _case(request, pk, CasePerms.CHANGE)
    user = request.user

    def ask(data: dict[str, Any]) -> str:
        approvals.request_approval(user, case, "closing", note=data["note"], request=request)
        return gettext("The closing report has been sent for approval.")

    def shut(data: dict[str, Any]) -> str:
        workflow.close_case(user, case, condition=data["condition"], request=request)
        return gettext("The case has been closed.")

    panels = []
    if not approvals.is_approved(case, "closing"):
        panels.append(
            Panel(
                "request",
                gettext("Closing report"),
                gettext("Send for approval"),
                bound(request, "request", ClosingRequestForm),
                ask,
            )
        )
    panels.append(
        Panel(
            "close",
            gettext("Close the case"),
            gettext("Close the case"),
            bound(request, "close", CloseForm),
            shut,
        )
    )
    return screen(request, title=gettext("Closing"), panels=panels, case=case)


@login_required
@require_http_methods(["GET", "POST"])
def urgent_start(request: HttpRequest, pk: int) -> HttpResponse:
    """R7.2 因情况紧急先启动程序: the step starts now, its approval paperwork is due soon."""
    case = get_object_or_404(Case.objects.select_related("unit"), pk=pk)
    access.require(request.user, ApprovalPerms.REQUEST, case, request=request)

    def run(data: dict[str, Any]) -> str:
        started = approvals.start_urgently(
            request.user, case, data["step"], data["reason"], request=request
        )
        return gettext("Started urgently; the approval is due by %(date)s.") % {
            "date": f"{started.paperwork_due:%Y-%m-%d}" if started.paperwork_due else "—"
        }

    panel = Panel(
        "urgent",
        gettext("Urgent start"),
        gettext("Start now"),
        bound(request, "urgent", UrgentStartForm),
        run,
    )
    return screen(request, title=gettext("Urgent start"), panels=[panel], case=case)


@login_required
@require_http_methods(["GET", "POST"])
def on_the_spot(request: HttpRequest) -> HttpResponse:
    """Art. 51, 52 当场处罚 (simple procedure): a warning or a small fine, numbered at once."""
    user = request.user
    unit = getattr(user, "unit", None)
    access.require(user, CasePerms.CREATE, unit, request=request)
    created: list[Case] = []

    def run(data: dict[str, Any]) -> str:
        case = decisions.decide_on_the_spot(
            user,
            unit=unit,  # type: ignore[arg-type]  # access checked above
            subject=data["subject"],
            officers=[],
            penalty_kind=data["penalty_kind"],
            amount_fen=yuan_to_fen(data["amount_yuan"]),
            facts=data["facts"],
            basis=data["basis"],
            field=data["field"],
            request=request,
        )
        created.append(case)
        return gettext("Decision %(number)s has been recorded.") % {"number": case.number}

    panel = Panel(
        "spot",
        gettext("On-the-spot penalty"),
        gettext("Record the decision"),
        bound(request, "spot", OnTheSpotForm, user=user, initial=_chosen_subject(request)),
        run,
    )
    new_party = reverse("subjects:create") + "?" + urlencode({"next": request.path})
    return screen(
        request,
        title=gettext("On-the-spot penalty"),
        panels=[panel],
        links=[(gettext("Party not in the list? Enter a new party"), new_party)],
        done_url=lambda: reverse("cases:detail", args=[created[0].pk]),
    )
