"""The workflow pages of a case: moving on, the advance notice and waivers (R8.1, R8.2),
the decision (Art. 59), legal review (Art. 58), collective discussion (R7.3), closing, and
the simple procedure's on-the-spot penalty (Art. 51, 52)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, pgettext
from django.views.decorators.http import require_http_methods, require_POST

from liuhen.cases import approvals
from liuhen.cases.actions.approvals import request_approval
from liuhen.cases.actions.decisions import confirm_opinion as confirm_opinion_action
from liuhen.cases.actions.decisions import (
    decide_on_the_spot,
    file_simple_case,
    record_advance_notice,
    record_decision,
    record_discussion,
    record_legal_review,
    record_unconfirmed_reason,
    record_waiver,
)
from liuhen.cases.actions.workflow import advance_stage, close_case, mark_review_grounds
from liuhen.cases.decisions import latest_notice
from liuhen.cases.forms.workflow import (
    AdvanceNoticeForm,
    CloseForm,
    ClosingRequestForm,
    ConfirmOpinionForm,
    DecisionForm,
    DiscussionForm,
    LegalReviewForm,
    OnTheSpotForm,
    ReviewGroundsForm,
    UnconfirmedReasonForm,
    WaiverForm,
    yuan_to_fen,
)
from liuhen.cases.http import AuthenticatedRequest
from liuhen.cases.models import AdvanceNotice, Case, DiscussionOpinion, PenaltyKind
from liuhen.cases.perms import CasePerms
from liuhen.cases.views.screen import (
    asking,
    back_here_after_asking,
    calling,
    case_for,
    one_form,
    one_form_page,
    panel,
    screen,
)
from liuhen.core import access
from liuhen.subjects.licences.queries import licences_of_parties


@login_required
@require_POST
def case_advance(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = case_for(request, pk, CasePerms.CHANGE)
    try:
        advance_stage(request.user, case, request=request)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("cases:detail", pk=case.pk)


@login_required
@require_POST
def file_simple(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Art. 52: the 备案 of an on-the-spot decision with the agency, from the case page."""
    case = case_for(request, pk, CasePerms.CHANGE)
    try:
        file_simple_case(request.user, case, request=request)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, gettext("The on-the-spot decision has been filed."))
    return redirect("cases:detail", pk=case.pk)


def _chosen_subject(request: AuthenticatedRequest) -> dict[str, str]:
    """``?subject=<id>``: the party just entered on the subject form (it returns here)."""
    chosen = request.GET.get("subject", "")
    return {"subject": chosen} if chosen.isdigit() else {}


def _yuan(fen: int) -> str:
    return f"¥{fen / 100:,.2f}"


@login_required
@require_http_methods(["GET", "POST"])
def advance_notice(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """R8.1 行政处罚事先告知, and R8.2 the party's waiver of rights on the latest notice."""
    case = case_for(request, pk, CasePerms.CHANGE)
    user = request.user
    notice = latest_notice(case)

    def notify(data: dict[str, Any]) -> str:
        record_advance_notice(
            user,
            case,
            notified_at=data["notified_at"],
            notified_to=data["notified_to"],
            method=data["method"],
            penalty_kinds=data["penalty_kinds"],
            proposed_fine_fen=yuan_to_fen(data["proposed_fine_yuan"]),
            proposed_confiscation_fen=yuan_to_fen(data["proposed_confiscation_yuan"]),
            rights=data["rights"],
            licence=data.get("licence"),
            request=request,
        )
        return gettext("The advance notice has been recorded.")

    panels = [
        panel(
            request,
            "notice",
            AdvanceNoticeForm,
            notify,
            title=gettext("Advance notice of the penalty"),
            button=gettext("Record the notice"),
            licences=licences_of_parties(case),
        )
    ]
    info = []
    if notice is not None:
        info.append((gettext("Latest notice"), _notice_summary(notice)))
        panels.append(
            panel(
                request,
                "waiver",
                WaiverForm,
                calling(
                    record_waiver,
                    user,
                    notice,
                    request=request,
                    done=gettext("The waiver has been recorded."),
                ),
                title=gettext("Waiver of rights"),
                button=gettext("Record the waiver"),
            )
        )
    # The notice announces the penalty the approved case handling opinion proposes: its
    # 事先告知书 is issued after that approval, asked for here.
    state, ask = asking(request, case, "handling_opinion")
    return screen(
        request,
        title=gettext("Advance notice"),
        panels=[*panels, *ask],
        case=case,
        info=info,
        chains=[state],
        done_url=back_here_after_asking(request, case),
    )


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
def decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Art. 59 the penalty decision; the fine is entered in yuan and kept in fen."""
    case = case_for(request, pk, CasePerms.CHANGE)
    notice = latest_notice(case)

    def run(data: dict[str, Any]) -> str:
        decision = record_decision(
            request.user,
            case,
            penalty_kinds=data["penalty_kinds"],
            fine_fen=yuan_to_fen(data["fine_yuan"]),
            facts=data["facts"],
            basis=data["basis"],
            request=request,
        )
        return gettext("Decision %(number)s has been recorded.") % {"number": decision.number}

    penalty = panel(
        request,
        "decide",
        DecisionForm,
        run,
        title=gettext("Penalty decision"),
        button=gettext("Record the decision"),
    )
    info = []
    if notice is not None:
        # Art. 45: the decision may not exceed what was notified; show the ceiling.
        penalty.form.fields["fine_yuan"].help_text = gettext(
            "At most %(amount)s, as notified in the advance notice."
        ) % {"amount": _yuan(notice.proposed_fine_fen)}
        info.append((gettext("Latest notice"), _notice_summary(notice)))
    # R7.1: the decision is recorded after its approval; the page asks for it and shows
    # where its chain stands rather than only refusing.
    state, ask = asking(request, case, "decision")
    return screen(
        request,
        title=gettext("Decision"),
        panels=[penalty, *ask],
        case=case,
        info=info,
        chains=[state],
        done_url=back_here_after_asking(request, case),
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_grounds(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Arts. 57, 58: whether the case needs 法制审核 and 集体讨论, as it stands."""
    case = case_for(request, pk, CasePerms.CHANGE)
    run = calling(
        mark_review_grounds,
        request.user,
        case,
        request=request,
        done=gettext("The grounds for legal review and collective discussion have been recorded."),
    )
    form = panel(
        request,
        "grounds",
        ReviewGroundsForm,
        run,
        title=gettext("Legal review and collective discussion"),
        button=gettext("Save"),
        initial={
            "complex_or_serious": case.complex_or_serious,
            "major_public_interest": case.major_public_interest,
        },
    )
    return one_form(request, case, form)


# Art. 58 法制审核, by a legal reviewer who does not investigate the case.
legal_review = one_form_page(
    CasePerms.LEGAL_REVIEW,
    "review",
    LegalReviewForm,
    record_legal_review,
    title=gettext_lazy("Legal review"),
    button=gettext_lazy("Sign the review"),
    done=gettext_lazy("The legal review has been recorded."),
)


@login_required
@require_http_methods(["GET", "POST"])
def discussion(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """R7.3 集体讨论记录 by its chair (R7.4 experts' opinion where they took part), and how
    far the attendees have confirmed their opinions."""
    case = case_for(request, pk, CasePerms.DISCUSS)
    user = request.user
    panels = [
        panel(
            request,
            "discussion",
            DiscussionForm,
            calling(
                record_discussion,
                user,
                case,
                request=request,
                done=gettext("The collective discussion has been recorded."),
            ),
            title=gettext("Collective discussion"),
            button=gettext("Record the discussion"),
        )
    ]
    opinions = access.visible(
        user,
        DiscussionOpinion.objects.filter(discussion__case=case).select_related(
            "attendee", "discussion"
        ),
    )
    unsettled = opinions.filter(confirmed_at__isnull=True, unconfirmed_reason="")
    if unsettled.exists():
        panels.append(
            panel(
                request,
                "unconfirmed",
                UnconfirmedReasonForm,
                calling(
                    record_unconfirmed_reason,
                    user,
                    request=request,
                    done=gettext("The reason has been recorded."),
                ),
                title=gettext("An attendee cannot confirm"),
                button=gettext("Record the reason"),
                opinions=unsettled,
            )
        )
    info = [(_held(o), _opinion_status(o)) for o in opinions]
    return screen(
        request, title=gettext("Collective discussion"), panels=panels, case=case, info=info
    )


def _held(opinion: DiscussionOpinion) -> str:
    when = timezone.localtime(opinion.discussion.held_at)
    return f"{when:%Y-%m-%d %H:%M} · {opinion.attendee.display_name}"


def _opinion_status(opinion: DiscussionOpinion) -> str:
    if opinion.confirmed_at is not None:
        return gettext("Confirmed: %(opinion)s") % {"opinion": opinion.confirmed}
    if opinion.unconfirmed_reason:
        return gettext("Not confirmed: %(reason)s") % {"reason": opinion.unconfirmed_reason}
    return gettext("Awaiting confirmation: %(opinion)s") % {
        "opinion": opinion.drafted or gettext("no opinion drafted")
    }


@login_required
@require_http_methods(["GET", "POST"])
def confirm_opinion(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """R7.3: an attendee confirms their own opinion at a collective discussion."""
    opinion = access.get_visible_or_404(
        request.user,
        DiscussionOpinion.objects.select_related(
            "discussion__case", "discussion__recorded_by", "attendee"
        ),
        action=CasePerms.CONFIRM_OPINION,
        request=request,
        pk=pk,
    )
    discussion = opinion.discussion

    def run(data: dict[str, Any]) -> str:
        confirm_opinion_action(request.user, opinion, text=data["text"], request=request)
        return gettext("Your opinion has been confirmed.")

    form = panel(
        request,
        "confirm",
        ConfirmOpinionForm,
        run,
        title=gettext("My opinion"),
        button=gettext("Confirm my opinion"),
        initial={"text": opinion.confirmed or opinion.drafted},
    )
    info = [
        (gettext("Case"), discussion.case.number),
        (gettext("Held at"), f"{timezone.localtime(discussion.held_at):%Y-%m-%d %H:%M}"),
        (pgettext("discussion", "Chair"), discussion.recorded_by.display_name),
        (pgettext("discussion", "Opinions"), discussion.opinions),
        (gettext("Conclusion"), discussion.conclusion),
    ]
    if opinion.settled:
        info.append((gettext("My opinion"), _opinion_status(opinion)))
    return screen(
        request,
        title=gettext("Collective discussion"),
        # A second confirmation is refused by the action, on the form.
        panels=[form] if request.method == "POST" or not opinion.settled else [],
        info=info,
        done_url=lambda: reverse("web:tasks"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """结案: ask for approval of the closing report, then close with a condition."""
    case = case_for(request, pk, CasePerms.CHANGE)
    user = request.user
    panels = []
    state = approvals.chain_state(case, "closing")
    if state.may_ask:
        panels.append(
            panel(
                request,
                "request",
                ClosingRequestForm,
                calling(
                    request_approval,
                    user,
                    case,
                    "closing",
                    request=request,
                    done=gettext("The closing report has been sent for approval."),
                ),
                title=gettext("Closing report"),
                button=gettext("Send for approval"),
            )
        )
    panels.append(
        panel(
            request,
            "close",
            CloseForm,
            calling(
                close_case, user, case, request=request, done=gettext("The case has been closed.")
            ),
            title=gettext("Close the case"),
            button=gettext("Close the case"),
        )
    )
    return screen(request, title=gettext("Closing"), panels=panels, case=case, chains=[state])


@login_required
@require_http_methods(["GET", "POST"])
def on_the_spot(request: AuthenticatedRequest) -> HttpResponse:
    """Art. 51, 52 当场处罚 (simple procedure): a warning or a small fine, numbered at once."""
    user = request.user
    unit = getattr(user, "unit", None)
    access.require(user, CasePerms.CREATE, unit, request=request)
    created: list[Case] = []

    def run(data: dict[str, Any]) -> str:
        case = decide_on_the_spot(
            user,
            unit=unit,  # type: ignore[arg-type]  # access checked above
            subject=data["subject"],
            officers=list(data["officers"]),
            penalty_kind=data["penalty_kind"],
            amount_fen=yuan_to_fen(data["amount_yuan"]),
            facts=data["facts"],
            basis=data["basis"],
            field=data["field"],
            place=data["place"],
            started_at=data["started_at"],
            request=request,
        )
        created.append(case)
        return gettext("Decision %(number)s has been recorded.") % {"number": case.number}

    spot = panel(
        request,
        "spot",
        OnTheSpotForm,
        run,
        title=gettext("On-the-spot penalty"),
        button=gettext("Record the decision"),
        user=user,
        initial=_chosen_subject(request),
    )
    new_party = reverse("subjects:create") + "?" + urlencode({"next": request.path})
    return screen(
        request,
        title=spot.title,
        panels=[spot],
        links=[(gettext("Party not in the list? Enter a new party"), new_party)],
        done_url=lambda: reverse("cases:detail", args=[created[0].pk]),
    )
