"""The approval pages: the inbox, signing a request (R7.1) and an urgent start (R7.2)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from liuhen.cases import approvals
from liuhen.cases.actions.approvals import decide, request_approval, start_urgently
from liuhen.cases.forms.approvals import AskForm, DecideForm, StepRequestForm, UrgentStartForm
from liuhen.cases.http import AuthenticatedRequest
from liuhen.cases.models import ApprovalRequest, ApprovalStatus, Case
from liuhen.cases.perms import ApprovalPerms
from liuhen.cases.views.screen import calling, case_for, one_form, panel, screen
from liuhen.cases.workflow import CASE_STEPS
from liuhen.core import access, buttons


@login_required
def approval_inbox(request: AuthenticatedRequest) -> HttpResponse:
    access.require(request.user, ApprovalPerms.LIST, request=request)
    return render(
        request,
        "cases/approvals.html",
        {"requests": approvals.inbox(request.user), "form": DecideForm()},
    )


@login_required
@require_POST
def approval_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    approval_request = access.get_visible_or_404(
        request.user, ApprovalRequest, action=ApprovalPerms.DECIDE, request=request, pk=pk
    )
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for ms in form.errors.values() for m in ms))
        return redirect("cases:approvals")
    buttons.press(
        request,
        lambda: decide(
            request.user,
            approval_request,
            approve=request.POST.get("decision") == "approve",
            opinion=form.cleaned_data["opinion"],
            experts=form.cleaned_data["experts"],
            expert_opinion=form.cleaned_data["expert_opinion"],
            request=request,
        ),
        gettext("Your decision has been signed."),
    )
    return redirect("cases:approvals")


@login_required
@require_http_methods(["GET", "POST"])
def ask(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """R7.1: ask for the approval of a step of the case, with where each step's chain
    stands (``?step=`` chooses the step)."""
    case = case_for(request, pk, ApprovalPerms.REQUEST)

    def run(data: dict[str, Any]) -> str:
        request_approval(request.user, case, data["step"], note=data["note"], request=request)
        return gettext("“%(step)s” has been sent for approval.") % {
            "step": approvals.step_label(data["step"])
        }

    chosen = request.GET.get("step", "")
    form = panel(
        request,
        "ask",
        AskForm,
        run,
        title=gettext("Ask for approval"),
        button=gettext("Send for approval"),
        initial={"step": chosen} if chosen in CASE_STEPS else {},
    )
    states = [approvals.chain_state(case, step) for step in CASE_STEPS]
    return screen(
        request,
        title=gettext("Ask for approval"),
        panels=[form],
        case=case,
        chains=[s for s in states if s.request is not None or s.step == chosen],
        done_url=lambda: request.get_full_path(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def urgent_start(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """R7.2 因情况紧急先启动程序: the step starts now, its approval paperwork is due soon."""
    case = case_for(request, pk, ApprovalPerms.REQUEST)

    def run(data: dict[str, Any]) -> str:
        started = start_urgently(request.user, case, data["step"], data["reason"], request=request)
        if started.report_due_at is not None:
            # 行政强制法 Art. 19: due within hours, to the minute.
            due = f"{timezone.localtime(started.report_due_at):%Y-%m-%d %H:%M}"
        else:
            due = f"{started.paperwork_due:%Y-%m-%d}" if started.paperwork_due else "—"
        return gettext("Started urgently; the approval is due by %(date)s.") % {"date": due}

    return one_form(
        request,
        case,
        panel(
            request,
            "urgent",
            UrgentStartForm,
            run,
            title=gettext("Urgent start"),
            button=gettext("Start now"),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def seizure(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """查封、扣押: its approval before it is carried out (行政强制法 Art. 18(一)), then the one
    approved extension of its period (Art. 25). An emergency is the urgent start's page."""
    case = case_for(request, pk, ApprovalPerms.REQUEST)
    user = request.user
    panels = []
    # The seizure's approval first; once it is given, its one extension.
    for step, name, done, title in (
        (
            "seizure",
            "seizure",
            gettext("The seizure or detention has been sent for approval."),
            gettext("Approval of a seizure or detention"),
        ),
        (
            "seizure_extension",
            "extension",
            gettext("The extension has been sent for approval."),
            gettext("Extension of a seizure or detention"),
        ),
    ):
        state = approvals.chain_state(case, step)
        if state.approved:
            continue
        if not state.may_ask:
            break  # asked for already: its chain is shown
        call = calling(request_approval, user, case, step, request=request, done=done)
        panels.append(
            panel(
                request,
                name,
                StepRequestForm,
                call,
                title=title,
                button=gettext("Send for approval"),
            )
        )
        break
    info = [
        (gettext(label), _approved_label(case, step))
        for label, step in (
            ("Approval of a seizure or detention", "seizure"),
            ("Extension of a seizure or detention", "seizure_extension"),
        )
    ]
    chains = [
        state
        for state in (approvals.chain_state(case, s) for s in ("seizure", "seizure_extension"))
        if state.request is not None
    ]
    return screen(
        request,
        title=gettext("Seizure or detention"),
        panels=panels,
        case=case,
        info=info,
        chains=chains,
    )


def _approved_label(case: Case, step: str) -> str:
    if approvals.is_approved(case, step):
        return str(ApprovalStatus.APPROVED.label)
    return gettext("Not approved")
