"""The hearing 听证 and suspension 中止/恢复调查 pages of a case."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from liuhen.cases import hearings, suspensions
from liuhen.cases.actions.hearings import record_hearing_held, request_hearing, schedule_hearing
from liuhen.cases.actions.suspensions import resume_investigation, suspend_investigation
from liuhen.cases.forms.hearings import (
    HearingHeldForm,
    HearingRequestForm,
    HearingScheduleForm,
    ResumeForm,
    SuspendForm,
)
from liuhen.cases.http import AuthenticatedRequest
from liuhen.cases.models import ApprovalStatus, Case
from liuhen.cases.perms import CasePerms
from liuhen.cases.views.screen import calling, case_for, panel, screen
from liuhen.core import access
from liuhen.core.panels import Panel


def _done(case: Case) -> Any:
    return lambda: reverse("cases:detail", args=[case.pk]) + "#section-hearings"


def _day(value: Any) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"


@login_required
@require_http_methods(["GET", "POST"])
def hearing(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Art. 63–65: the party's request, the schedule and notice, the hearing held.

    Whoever works the case arranges the hearing; the chair or clerk records it held (the
    rule of "case.hearing_record" covers both), anyone else is refused (audited)."""
    user = request.user
    case = case_for(request, pk, CasePerms.HEARING_RECORD)
    may_arrange = access.can(user, CasePerms.HEARING, case)
    windows = hearings.request_windows(case)
    notice = windows[0][0] if windows else None
    current = hearings.pending_hearing(case)
    schedule = hearings.latest_schedule(current) if current is not None else None
    info: list[tuple[str, str]] = []
    panels: list[Panel] = []

    if notice is not None and may_arrange:
        closes = windows[0][1]
        info.append(
            (
                gettext("Advance notice"),
                gettext("%(date)s; a hearing may be requested until %(closes)s")
                % {"date": _day(notice.notified_at), "closes": f"{closes:%Y-%m-%d}"},
            )
        )

        panels.append(
            panel(
                request,
                "request",
                HearingRequestForm,
                calling(
                    request_hearing,
                    user,
                    notice,
                    request=request,
                    done=gettext("The request for a hearing has been recorded."),
                ),
                title=gettext("Request for a hearing"),
                button=gettext("Record the request"),
            )
        )
    if current is not None:
        info.append(
            (
                gettext("Hearing requested"),
                f"{_day(current.requested_at)} · {current.requested_by_party}",
            )
        )
        if schedule is not None:
            info.append(
                (
                    gettext("Hearing time and place"),
                    f"{_day(schedule.scheduled_at)} · {schedule.place} · "
                    f"{schedule.chair.display_name}",
                )
            )
        if may_arrange:
            panels.append(
                panel(
                    request,
                    "schedule",
                    HearingScheduleForm,
                    calling(
                        schedule_hearing,
                        user,
                        current,
                        request=request,
                        done=gettext("The hearing has been scheduled."),
                    ),
                    title=(
                        gettext("Reschedule the hearing") if schedule else gettext("Hearing notice")
                    ),
                    button=gettext("Record the time and notice"),
                    excluded=hearings.investigators(case),
                )
            )
        if schedule is not None and access.can(user, CasePerms.HEARING_RECORD, case):
            panels.append(
                panel(
                    request,
                    "held",
                    HearingHeldForm,
                    calling(
                        record_hearing_held,
                        user,
                        current,
                        request=request,
                        done=gettext("The hearing has been recorded as held."),
                    ),
                    title=gettext("Hearing held"),
                    button=gettext("Record the hearing"),
                )
            )
    if not panels:
        if request.method == "POST":
            return redirect(_done(case)())
        info.append((gettext("Hearing"), gettext("Nothing to record now.")))
    return screen(
        request,
        title=gettext("Hearing"),
        panels=panels,
        case=case,
        info=info,
        done_url=_done(case),
    )


@login_required
@require_http_methods(["GET", "POST"])
def suspension(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """中止调查 / 恢复调查, each asked of the heads through the approval chain."""
    user = request.user
    case = case_for(request, pk, CasePerms.SUSPEND)
    period = suspensions.current(case)
    info: list[tuple[str, str]] = []
    panels: list[Panel] = []
    if period is None:
        pending = case.approval_requests.filter(step="suspension", status=ApprovalStatus.PENDING)
        if pending.exists():
            info.append((gettext("Suspension"), gettext("Awaiting approval.")))

        panels.append(
            panel(
                request,
                "suspend",
                SuspendForm,
                calling(
                    suspend_investigation,
                    user,
                    case,
                    request=request,
                    done=gettext("The suspension has been sent for approval."),
                ),
                title=gettext("Suspend the investigation"),
                button=gettext("Send for approval"),
            )
        )
    else:
        info.append(
            (
                gettext("Suspended since"),
                f"{period.start:%Y-%m-%d} · {period.suspension.get_ground_display()}",
            )
        )

        panels.append(
            panel(
                request,
                "resume",
                ResumeForm,
                calling(
                    resume_investigation,
                    user,
                    case,
                    request=request,
                    done=gettext("The resumption has been sent for approval."),
                ),
                title=gettext("Resume the investigation"),
                button=gettext("Send for approval"),
            )
        )
    return screen(
        request,
        title=gettext("Suspension of the investigation"),
        panels=panels,
        case=case,
        info=info,
        done_url=_done(case),
    )
