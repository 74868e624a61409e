"""Record an activity on site (tablet first), an activity's page, AV exemptions (asked for
here, signed here or on the approval screen).

Views only call actions. An activity (or the case it is recorded for) is fetched with
``access.get_visible_or_404``: one the user may not see answers 404, audited.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from liuhen.accounts.acting import acting_user
from liuhen.accounts.models import Role, User
from liuhen.activities import actions
from liuhen.activities.av import linked_av, linked_av_count
from liuhen.activities.forms import ActivityForm, ExemptionForm
from liuhen.activities.models import Activity
from liuhen.activities.perms import ActivityPerms, AvExemptionPerms
from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.models import ApprovalStatus, Case
from liuhen.cases.perms import ApprovalPerms
from liuhen.core import access, buttons, panels, registry
from liuhen.subjects.models import Subject


def _officer_choices(actor: User, case: Case | None) -> QuerySet[User]:
    """The case's officers and the certified staff of its unit the actor may see."""
    staff = access.visible(actor, User.objects.filter(is_active=True)).filter(
        role_grants__role__in=[Role.OFFICER, Role.UNIT_HEAD]
    )
    unit_id = case.unit_id if case is not None else actor.unit_id
    if unit_id:
        choices = staff.filter(unit__pk=unit_id)
    else:
        choices = access.visible(actor, User.objects.filter(pk=actor.pk))
    if case is not None:
        # The case's own officers, whichever unit they belong to.
        choices = choices | case.officers.all()
    return choices.distinct().order_by("full_name", "username")


def _party_choices(actor: User, case: Case | None) -> QuerySet[Subject]:
    subjects = access.visible(actor, Subject.objects.filter(merged_into__isnull=True))
    if case is None:
        return subjects.none()
    return subjects.filter(case_links__case=case).distinct().order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    case: Case | None = None
    case_id = request.GET.get("case", "")
    if case_id:
        if not case_id.isdigit():
            raise Http404
        case = access.get_visible_or_404(
            actor,
            Case.objects.select_related("unit"),
            action=ActivityPerms.RECORD,
            request=request,
            pk=int(case_id),
        )
    else:
        access.require(actor, ActivityPerms.RECORD, None, request=request)
    officers, parties = _officer_choices(actor, case), _party_choices(actor, case)
    if request.method == "POST":
        form = ActivityForm(request.POST, officers=officers, parties=parties)
    else:
        now = timezone.localtime().replace(second=0, microsecond=0)
        form = ActivityForm(
            officers=officers,
            parties=parties,
            initial={"started_at": now, "ended_at": now, "officers": [actor.pk]},
        )
    activity = panels.submit(
        request,
        form,
        lambda data: actions.record_activity(
            actor,
            case=case,
            type=data["type"],
            started_at=data["started_at"],
            ended_at=data["ended_at"],
            place=data["place"],
            officers=list(data["officers"]),
            party=data["party"],
            gps=form.gps(),
            non_site=data["non_site"],
            notes=data["notes"],
            request=request,
        ),
        _("The activity is recorded."),
    )
    if activity is not None:
        return redirect("activities:detail", activity.pk)
    return render(
        request,
        "activities/form.html",
        {"form": form, "case": case, "min_officers": actions.min_officers_on_site()},
    )


def _activity(request: HttpRequest, pk: int, action: str) -> Activity:
    """Activity ``pk`` if the user sees it and may ``action`` it: else 404 (not seen) or
    403 (seen, not allowed), both audited."""
    return access.get_visible_or_404(
        request.user,
        Activity.objects.select_related("case", "type", "unit", "party", "recorded_by"),
        action=action,
        request=request,
        pk=pk,
    )


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk, ActivityPerms.VIEW)
    actions.view_activity(acting_user(request), activity, request=request)
    # R5.2: every exemption asked for, oldest first; the last one counts (earlier ones were
    # rejected). Its approval request carries the signed opinions (R7.1).
    exemptions = list(
        activity.av_exemptions.select_related("requested_by", "approval").prefetch_related(
            "approval__approvals__approver"
        )
    )
    exemption = exemptions[-1] if exemptions else None
    user = request.user
    return render(
        request,
        "activities/detail.html",
        {
            "activity": activity,
            "presences": activity.presences.select_related("officer").order_by("id"),
            "checklist": activity.type.checklist.all(),
            "av_count": linked_av_count(activity),
            "linked_av": linked_av(user, activity),
            "av_panels": [
                (template, panel(request, activity))
                for template, panel in registry.activity_av_panels.values()
            ]
            if activity.type.needs_av
            else [],
            "exemption": exemption,
            "earlier_exemptions": exemptions[:-1],
            "may_request": (exemption is None or exemption.rejected)
            and activity.type.needs_av
            and access.can(user, AvExemptionPerms.REQUEST, activity),
            "may_decide": exemption is not None
            and access.can(user, ApprovalPerms.DECIDE, exemption.approval),
            "exemption_form": ExemptionForm(),
        },
    )


@login_required
@require_POST
def exemption_request(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk, AvExemptionPerms.REQUEST)
    form = ExemptionForm(request.POST)
    reason = form.data.get("reason", "")
    buttons.press(
        request,
        lambda: actions.request_av_exemption(
            acting_user(request), activity, reason=reason, request=request
        ),
        _("The exemption is requested; the unit head decides."),
    )
    return redirect("activities:detail", activity.pk)


@login_required
@require_POST
def exemption_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The approver whose turn it is signs the exemption with an opinion (R5.2, R7.1) —
    as on the approval screen, through the approvals engine."""
    activity = _activity(request, pk, ActivityPerms.VIEW)
    exemption = activity.av_exemptions.select_related("approval").last()
    decision = request.POST.get("decision", "")
    if exemption is None or decision not in ("approve", "reject"):
        raise Http404
    try:
        signed = approval_actions.decide(
            request.user,  # type: ignore[arg-type]  # login_required: a User
            exemption.approval,
            approve=decision == "approve",
            opinion=request.POST.get("opinion", ""),
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("activities:detail", activity.pk)
    status = signed.request.status
    if status == ApprovalStatus.APPROVED:
        messages.success(request, _("The exemption is approved."))
    elif status == ApprovalStatus.REJECTED:
        messages.success(request, _("The exemption is rejected; the activity still needs AV."))
    else:
        messages.success(request, _("Your approval is signed; the next approver decides."))
    return redirect("activities:detail", activity.pk)
