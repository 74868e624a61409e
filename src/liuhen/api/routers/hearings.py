"""Hearings 听证 (行政处罚法 Art. 63–65, 85; R8.1, R8.2) and the suspension 中止调查 and
resumption 恢复调查 of the investigation, through the actions of
``liuhen.cases.actions.hearings`` and ``liuhen.cases.actions.suspensions`` — the same doors
as the hearing and suspension screens.

A case (hearing, advance notice) the caller may not see is answered 404, as one that does
not exist (the attempt is audited); a refused action 403; a refused step 422 with the
action's own reasons. A suspension or a resumption is asked for here and signed through the
approval chain (POST /approvals/{id}/decision); it takes effect on the day it is approved.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from liuhen.accounts.models import User
from liuhen.api.lookups import aware, display_name, username, users_named
from liuhen.api.pagination import Pagination
from liuhen.api.schemas import ERRORS_404
from liuhen.cases import hearings, suspensions
from liuhen.cases.actions.hearings import record_hearing_held, request_hearing, schedule_hearing
from liuhen.cases.actions.suspensions import resume_investigation, suspend_investigation
from liuhen.cases.http import AuthenticatedRequest
from liuhen.cases.models import (
    AdvanceNotice,
    Case,
    Hearing,
    HearingRecord,
    HearingSchedule,
    Resumption,
    Suspension,
    SuspensionGround,
)
from liuhen.cases.perms import CasePerms
from liuhen.core import access

router = Router(tags=["hearings"])

HEARING_STATUS = {
    "requested": pgettext_lazy("hearing status", "Requested, not scheduled"),
    "scheduled": pgettext_lazy("hearing status", "Scheduled"),
    "held": pgettext_lazy("hearing status", "Held"),
}
SUSPENSION_STATUS = {
    "pending": pgettext_lazy("suspension status", "Awaiting approval"),
    "rejected": pgettext_lazy("suspension status", "Not approved"),
    "running": pgettext_lazy("suspension status", "Suspended"),
    "resumed": pgettext_lazy("suspension status", "Resumed"),
}


# --- hearings (Art. 63–65) ---------------------------------------------------------------


class HearingScheduleOut(Schema):
    id: int
    scheduled_at: dt.datetime
    place: str
    chair: str = Field(description="username; never an investigator of the case (Art. 64(4))")
    chair_name: str
    clerk: str = Field(description="username; empty when none")
    clerk_name: str
    notified_at: dt.datetime = Field(description="when the party was told the time and place")
    public: bool
    closed_reason: str = Field(description="why a hearing is not public (Art. 64(3))")
    recorded_by: str
    recorded_at: dt.datetime

    @staticmethod
    def resolve_chair(schedule: HearingSchedule) -> str:
        return username(schedule.chair)

    @staticmethod
    def resolve_chair_name(schedule: HearingSchedule) -> str:
        return display_name(schedule.chair)

    @staticmethod
    def resolve_clerk(schedule: HearingSchedule) -> str:
        return username(schedule.clerk)

    @staticmethod
    def resolve_clerk_name(schedule: HearingSchedule) -> str:
        return display_name(schedule.clerk) if schedule.clerk is not None else ""

    @staticmethod
    def resolve_recorded_by(schedule: HearingSchedule) -> str:
        return username(schedule.recorded_by)


class HearingRecordOut(Schema):
    id: int
    schedule_id: int = Field(description="the schedule it was held under")
    held_at: dt.datetime
    summary: str = Field(description="summary of the hearing transcript 听证笔录")
    outcome: str = Field(description="the chair's report and opinion")
    recorded_by: str
    recorded_at: dt.datetime

    @staticmethod
    def resolve_recorded_by(record: HearingRecord) -> str:
        return username(record.recorded_by)


class HearingOut(Schema):
    id: int
    case_id: int
    notice_id: int = Field(description="the advance notice the hearing was asked for on")
    requested_at: dt.datetime
    requested_by_party: str = Field(description="who asked, for the party")
    request_method: str = Field(description="how, e.g. 书面申请")
    request_window_closes: dt.date = Field(description="last day to ask (Art. 64(1), 85)")
    recorded_by: str
    recorded_at: dt.datetime
    status: str = Field(description="requested, scheduled or held")
    status_label: str
    schedule: HearingScheduleOut | None = Field(description="the schedule in force (the latest)")
    rescheduled: int = Field(description="how many earlier schedules it replaced")
    record: HearingRecordOut | None = Field(description="the hearing held, once recorded")

    @staticmethod
    def resolve_request_window_closes(hearing: Hearing) -> dt.date:
        return hearings.request_window_closes(hearing.notice)

    @staticmethod
    def resolve_recorded_by(hearing: Hearing) -> str:
        return username(hearing.recorded_by)

    @staticmethod
    def resolve_status(hearing: Hearing) -> str:
        return _hearing_status(hearing)

    @staticmethod
    def resolve_status_label(hearing: Hearing) -> str:
        return str(HEARING_STATUS[_hearing_status(hearing)])

    @staticmethod
    def resolve_schedule(hearing: Hearing) -> HearingSchedule | None:
        return hearings.latest_schedule(hearing)

    @staticmethod
    def resolve_rescheduled(hearing: Hearing) -> int:
        return max(len(hearing.schedules.all()) - 1, 0)

    @staticmethod
    def resolve_record(hearing: Hearing) -> HearingRecord | None:
        return hearings.held(hearing)


def _hearing_status(hearing: Hearing) -> str:
    if hearings.held(hearing) is not None:
        return "held"
    return "scheduled" if hearings.latest_schedule(hearing) is not None else "requested"


class RequestWindowOut(Schema):
    notice_id: int
    notified_at: dt.datetime
    closes_on: dt.date = Field(description="the last day the party may ask for a hearing")
    closed: bool = Field(description="the day has passed")


class CaseHearingsOut(Schema):
    items: list[HearingOut] = Field(description="the case's hearings, latest request first")
    count: int
    limit: int
    offset: int
    request_windows: list[RequestWindowOut] = Field(
        description="advance notices that named the hearing right, with no hearing asked for "
        "on them and the hearing not waived: until when the party may ask"
    )


class HearingRequestIn(Schema):
    requested_at: dt.datetime = Field(description="without an offset: local time")
    requested_by_party: str = Field("", description="who asked, for the party (required)")
    request_method: str = Field("", description="how, e.g. 书面申请 (required)")


class HearingScheduleIn(Schema):
    scheduled_at: dt.datetime = Field(description="without an offset: local time")
    place: str = Field("", description="where (required)")
    chair: str = Field(description="username of the chair: staff who do not investigate the case")
    clerk: str = Field("", description="username of the clerk, optional")
    notified_at: dt.datetime = Field(
        description="when the party was told: at least the configured working days before"
    )
    public: bool = True
    closed_reason: str = Field("", description="required when not public (Art. 64(3))")


class HearingHeldIn(Schema):
    held_at: dt.datetime = Field(description="on the scheduled day; without an offset: local")
    summary: str = Field("", description="summary of the transcript (required)")
    outcome: str = Field("", description="the chair's report and opinion (required)")


def _case(request: AuthenticatedRequest, case_id: int) -> Case:
    """The case the endpoint is about: 404 (audited) unless the caller may read it."""
    return access.get_visible_or_404(
        request.user, Case, action=CasePerms.VIEW, request=request, pk=case_id
    )


def _visible_hearing(request: AuthenticatedRequest, hearing_id: int) -> Hearing:
    """The hearing if the caller may read its case; else 404 (audited)."""
    return access.get_visible_or_404(
        request.user,
        hearings.with_schedules(Hearing.objects.select_related("case")),
        action=CasePerms.VIEW,
        request=request,
        pk=hearing_id,
    )


def _visible_notice(request: AuthenticatedRequest, notice_id: int) -> AdvanceNotice:
    """The advance notice if the caller may read its case; else 404 (audited)."""
    return access.get_visible_or_404(
        request.user,
        AdvanceNotice.objects.select_related("case"),
        action=CasePerms.VIEW,
        request=request,
        pk=notice_id,
    )


def _refreshed(hearing: Hearing) -> Hearing:
    """``hearing`` read again after an action, with its schedules and record."""
    return hearings.with_schedules(hearing.case.hearings.all()).get(pk=hearing.pk)


def _request_windows(case: Case) -> list[dict[str, Any]]:
    """As the case page shows them: notices naming the hearing right, not yet asked on,
    the hearing not waived (R8.2)."""
    today = timezone.localdate()
    return [
        {
            "notice_id": notice.pk,
            "notified_at": notice.notified_at,
            "closes_on": closes,
            "closed": today > closes,
        }
        for notice, closes in hearings.request_windows(case)
    ]


def _staff_named(name: str, *, field: str, unknown_message: str) -> User:
    """One of the staff who may chair or clerk a hearing, as listed on the hearing screen
    (enforcement staff, never an administrator); unknown → 422."""
    [user] = users_named(
        [name], hearings.hearing_staff(), field=field, unknown_message=unknown_message
    )
    return user


@router.get(
    "/cases/{case_id}/hearings",
    response={200: CaseHearingsOut, **ERRORS_404},
    summary="The case's hearings 听证 and the open windows to ask for one",
)
def case_hearings(
    request: AuthenticatedRequest, case_id: int, page: Query[Pagination.Input]
) -> dict[str, Any]:
    """Each hearing with the schedule in force, how often it was rescheduled and the
    record once held; ``request_windows`` as on the case page. Paginated like the lists."""
    case = _case(request, case_id)
    found = hearings.with_schedules(case.hearings.order_by("-requested_at", "-id"))
    return {
        "items": list(found[page.offset : page.offset + page.limit]),
        "count": found.count(),
        "limit": page.limit,
        "offset": page.offset,
        "request_windows": _request_windows(case),
    }


@router.post(
    "/advance-notices/{notice_id}/hearing-requests",
    response={201: HearingOut, **ERRORS_404},
    summary="Record the party's request for a hearing on an advance notice (Art. 64(1))",
)
def create_hearing_request(
    request: AuthenticatedRequest, notice_id: int, payload: HearingRequestIn
) -> Status:
    """Within the ``hearing_request`` working days of the notice, on a notice that named the
    hearing right and where the party did not waive it; one hearing per notice."""
    notice = _visible_notice(request, notice_id)
    hearing = request_hearing(
        request.user,
        notice,
        requested_at=aware(payload.requested_at),
        requested_by_party=payload.requested_by_party,
        request_method=payload.request_method,
        request=request,
    )
    return Status(201, _refreshed(hearing))


@router.get(
    "/hearings/{hearing_id}",
    response={200: HearingOut, **ERRORS_404},
    summary="One hearing with its schedule in force and its record",
)
def get_hearing(request: AuthenticatedRequest, hearing_id: int) -> Hearing:
    return _visible_hearing(request, hearing_id)


@router.post(
    "/hearings/{hearing_id}/schedules",
    response={201: HearingOut, **ERRORS_404},
    summary="Record the time, place, chair and notice of a hearing (a later one reschedules)",
)
def create_hearing_schedule(
    request: AuthenticatedRequest, hearing_id: int, payload: HearingScheduleIn
) -> Status:
    """Art. 64(2)–(4): told at least ``hearing_notice`` working days before; the chair and
    clerk are named among the staff listed on the hearing screen."""
    hearing = _visible_hearing(request, hearing_id)
    # Refused before the names are looked at: usernames are not probed.
    access.require(request.user, CasePerms.HEARING, hearing.case, request=request)
    chair = _staff_named(payload.chair, field="chair", unknown_message=_("Unknown chair: %(name)s"))
    clerk = (
        _staff_named(payload.clerk, field="clerk", unknown_message=_("Unknown clerk: %(name)s"))
        if payload.clerk.strip()
        else None
    )
    schedule_hearing(
        request.user,
        hearing,
        scheduled_at=aware(payload.scheduled_at),
        place=payload.place,
        chair=chair,
        clerk=clerk,
        notified_at=aware(payload.notified_at),
        public=payload.public,
        closed_reason=payload.closed_reason,
        request=request,
    )
    return Status(201, _refreshed(hearing))


@router.post(
    "/hearings/{hearing_id}/record",
    response={201: HearingOut, **ERRORS_404},
    summary="Record the hearing held: transcript summary and outcome (Art. 64(8), 65)",
)
def record_hearing(
    request: AuthenticatedRequest, hearing_id: int, payload: HearingHeldIn
) -> Status:
    """Whoever works the case, or the chair or clerk; the case is then ``hearing_held`` and
    its decision needs legal review (Art. 58)."""
    hearing = _visible_hearing(request, hearing_id)
    record_hearing_held(
        request.user,
        hearing,
        held_at=aware(payload.held_at),
        summary=payload.summary,
        outcome=payload.outcome,
        request=request,
    )
    return Status(201, _refreshed(hearing))


# --- suspension and resumption of the investigation (中止调查 / 恢复调查) -----------------


class ResumptionOut(Schema):
    id: int
    suspension_id: int
    reason: str
    requested_by: str
    requested_by_name: str
    requested_at: dt.datetime
    approval_request_id: int = Field(description="sign it with POST /approvals/{id}/decision")
    approval_status: str = Field(description="pending, approved or rejected")
    resumed_on: dt.date | None = Field(description="the day it was approved")

    @staticmethod
    def resolve_requested_by(resumption: Resumption) -> str:
        return username(resumption.requested_by)

    @staticmethod
    def resolve_requested_by_name(resumption: Resumption) -> str:
        return display_name(resumption.requested_by)

    @staticmethod
    def resolve_approval_request_id(resumption: Resumption) -> int:
        return resumption.approval_id

    @staticmethod
    def resolve_approval_status(resumption: Resumption) -> str:
        return str(resumption.approval.status)


class SuspensionOut(Schema):
    id: int
    case_id: int
    ground: str = Field(description="related_case, interpretation, force_majeure, …")
    ground_label: str
    reason: str
    requested_by: str
    requested_by_name: str
    requested_at: dt.datetime
    approval_request_id: int = Field(description="sign it with POST /approvals/{id}/decision")
    status: str = Field(description="pending, rejected, running or resumed")
    status_label: str
    start: dt.date | None = Field(description="in effect from (the day it was approved)")
    end: dt.date | None = Field(description="resumed on (the day the resumption was approved)")
    days: int | None = Field(description="days not counted by the decision clock so far")
    resumptions: list[ResumptionOut] = Field(description="resumptions asked for, oldest first")

    @staticmethod
    def resolve_ground_label(suspension: Suspension) -> str:
        return str(SuspensionGround(suspension.ground).label)

    @staticmethod
    def resolve_requested_by(suspension: Suspension) -> str:
        return username(suspension.requested_by)

    @staticmethod
    def resolve_requested_by_name(suspension: Suspension) -> str:
        return display_name(suspension.requested_by)

    @staticmethod
    def resolve_approval_request_id(suspension: Suspension) -> int:
        return suspension.approval_id

    @staticmethod
    def resolve_status(suspension: Suspension) -> str:
        return suspensions.status(suspension)

    @staticmethod
    def resolve_status_label(suspension: Suspension) -> str:
        return str(SUSPENSION_STATUS[suspensions.status(suspension)])

    @staticmethod
    def resolve_start(suspension: Suspension) -> dt.date | None:
        return suspension.suspended_on

    @staticmethod
    def resolve_end(suspension: Suspension) -> dt.date | None:
        return suspensions.resumed_on(suspension)

    @staticmethod
    def resolve_days(suspension: Suspension) -> int | None:
        start = suspension.suspended_on
        if start is None:
            return None
        period = suspensions.Period(suspension, start, suspensions.resumed_on(suspension))
        return period.days(timezone.localdate())

    @staticmethod
    def resolve_resumptions(suspension: Suspension) -> list[Resumption]:
        return sorted(suspension.resumptions.all(), key=lambda r: (r.requested_at, r.pk))


class SuspensionIn(Schema):
    ground: SuspensionGround
    reason: str = Field("", description="the facts of the ground (required)")


class ResumptionIn(Schema):
    reason: str = Field("", description="why the cause is gone (required)")


@router.get(
    "/cases/{case_id}/suspensions",
    response={200: list[SuspensionOut], **ERRORS_404},
    summary="The case's suspensions of the investigation 中止调查, latest first",
)
@paginate(Pagination)
def case_suspensions(request: AuthenticatedRequest, case_id: int) -> QuerySet[Any]:
    case = _case(request, case_id)
    return suspensions.with_resumptions(case.suspensions.order_by("-requested_at", "-id"))


@router.post(
    "/cases/{case_id}/suspensions",
    response={201: SuspensionOut, **ERRORS_404},
    summary="Ask for approval to suspend the investigation 中止调查",
)
def create_suspension(request: AuthenticatedRequest, case_id: int, payload: SuspensionIn) -> Status:
    """Creates the ``suspension`` approval request (unit head → agency head unless
    configured); the suspension takes effect the day it is approved, and the decision
    clock pauses from then."""
    case = _case(request, case_id)
    suspension = suspend_investigation(
        request.user, case, ground=str(payload.ground), reason=payload.reason, request=request
    )
    return Status(201, suspensions.with_resumptions(case.suspensions.all()).get(pk=suspension.pk))


@router.post(
    "/cases/{case_id}/resumptions",
    response={201: ResumptionOut, **ERRORS_404},
    summary="Ask for approval to resume the suspended investigation 恢复调查",
)
def create_resumption(request: AuthenticatedRequest, case_id: int, payload: ResumptionIn) -> Status:
    """Creates the ``resumption`` approval request; once approved the suspension ends and
    the decision clock runs again."""
    case = _case(request, case_id)
    resumption = resume_investigation(request.user, case, reason=payload.reason, request=request)
    return Status(201, resumption)
