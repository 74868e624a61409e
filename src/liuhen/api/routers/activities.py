"""Enforcement activities: list a case's, read one, record one (a mobile terminal records
on site with the officer's token) — under the same access policy as the pages (R4.2).

A case or activity the caller may not see is answered 404, as one that does not exist.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from liuhen.accounts.acting import acting_user
from liuhen.activities import actions
from liuhen.activities.av import linked_av_count
from liuhen.activities.models import Activity, AvExemption
from liuhen.activities.perms import ActivityPerms, AvExemptionPerms
from liuhen.api.auth import caller
from liuhen.api.lookups import display_name, username
from liuhen.api.pagination import Pagination
from liuhen.api.routers.approvals import SignedApprovalOut
from liuhen.api.schemas import ERRORS_404
from liuhen.cases.models import ApprovalStatus, Case
from liuhen.cases.perms import CasePerms
from liuhen.core import access

router = Router(tags=["activities"])


class OfficerPresentOut(Schema):
    username: str
    name: str
    certificate_number: str


class AvExemptionOut(Schema):
    """R5.2: an exemption from AV recording; its approval request is signed through
    POST /approvals/{approval_request_id}/decision (R7.1)."""

    id: int
    activity_id: int
    reason: str
    requested_by: str = Field(description="username")
    requested_by_name: str
    requested_at: dt.datetime
    approval_request_id: int
    status: str = Field(description="pending, approved or rejected (the approval request's)")
    status_label: str
    current_role: str = Field(description="the role whose turn it is; empty once decided")
    approvals: list[SignedApprovalOut] = Field(description="the signed opinions, in chain order")

    @staticmethod
    def resolve_requested_by(exemption: AvExemption) -> str:
        return username(exemption.requested_by)

    @staticmethod
    def resolve_requested_by_name(exemption: AvExemption) -> str:
        return display_name(exemption.requested_by)

    @staticmethod
    def resolve_approval_request_id(exemption: AvExemption) -> int:
        return exemption.approval_id

    @staticmethod
    def resolve_status_label(exemption: AvExemption) -> str:
        return str(ApprovalStatus(exemption.status).label)

    @staticmethod
    def resolve_current_role(exemption: AvExemption) -> str:
        return exemption.approval.current_role

    @staticmethod
    def resolve_approvals(exemption: AvExemption) -> list[Any]:
        return list(exemption.approval.approvals.all())


class AvExemptionIn(Schema):
    reason: str = Field(description="why the AV record could not be made (at least 10 characters)")


class ActivityOut(Schema):
    id: int
    case_id: int | None
    type: str = Field(description="activity type code, e.g. inspection")
    type_name: str
    stage: str
    started_at: dt.datetime
    ended_at: dt.datetime
    place: str
    gps_lat: Decimal | None
    gps_lon: Decimal | None
    party_id: int | None
    non_site: bool
    notes: str
    officers: list[OfficerPresentOut]
    needs_av: bool
    av_count: int
    exemption_approved: bool
    exemption: AvExemptionOut | None = Field(
        description="the latest exemption asked for (R5.2); an earlier one was rejected"
    )
    recorded_at: dt.datetime

    @staticmethod
    def resolve_type(activity: Activity) -> str:
        return activity.type.code

    @staticmethod
    def resolve_type_name(activity: Activity) -> str:
        return activity.type.name

    @staticmethod
    def resolve_officers(activity: Activity) -> list[dict[str, str]]:
        return [
            {
                "username": p.officer.get_username(),
                "name": p.officer.display_name,
                "certificate_number": p.certificate_number,
            }
            for p in activity.presences.all()
        ]

    @staticmethod
    def resolve_needs_av(activity: Activity) -> bool:
        return activity.type.needs_av

    @staticmethod
    def resolve_av_count(activity: Activity) -> int:
        return linked_av_count(activity)

    @staticmethod
    def resolve_exemption_approved(activity: Activity) -> bool:
        exemption = activity.av_exemption
        return exemption is not None and exemption.approved

    @staticmethod
    def resolve_exemption(activity: Activity) -> AvExemption | None:
        return activity.av_exemption


class ActivityIn(Schema):
    case_id: int | None = Field(None, description="none for an act outside a case (patrol)")
    type: str = Field(min_length=1, max_length=64, description="activity type code")
    started_at: dt.datetime
    ended_at: dt.datetime
    place: str = Field(min_length=1, max_length=300)
    officers: list[str] = Field(min_length=1, description="usernames of the officers present")
    party_id: int | None = None
    gps_lat: float | None = Field(None, ge=-90, le=90, description="degrees north")
    gps_lon: float | None = Field(None, ge=-180, le=180, description="degrees east")
    non_site: bool = False
    notes: str = ""


def _degrees(value: float | None) -> Decimal | None:
    """A coordinate as sent: the shortest decimal that reads back as the same number."""
    return None if value is None else Decimal(repr(value))


def _with_details(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    return activities.select_related("type").prefetch_related(
        "presences__officer",
        "av_exemptions__requested_by",
        "av_exemptions__approval__approvals__approver",
    )


def _visible_activity(request: HttpRequest, activity_id: int, action: str) -> Activity:
    return access.get_visible_or_404(
        request.user,
        _with_details(Activity.objects.all()),
        action=action,
        request=request,
        pk=activity_id,
    )


@router.get(
    "/cases/{case_id}/activities",
    response={200: list[ActivityOut], **ERRORS_404},
    summary="A case's enforcement activities",
)
@paginate(Pagination)
def case_activities(request: HttpRequest, case_id: int) -> QuerySet[Any]:
    case = access.get_visible_or_404(
        request.user, Case, action=CasePerms.VIEW, request=request, pk=case_id
    )
    # A visible case's activities are visible with it.
    return access.visible(request.user, _with_details(case.activities.all())).order_by(
        "-started_at", "-id"
    )


@router.get(
    "/activities/{activity_id}", response={200: ActivityOut, **ERRORS_404}, summary="One activity"
)
def get_activity(request: HttpRequest, activity_id: int) -> Activity:
    activity = _visible_activity(request, activity_id, ActivityPerms.VIEW)
    actions.view_activity(caller(request), activity, request=request)
    return activity


@router.post(
    "/activities/{activity_id}/av-exemption",
    response={201: AvExemptionOut, **ERRORS_404},
    summary="Ask for an exemption from AV recording (R5.2)",
)
def request_av_exemption(request: HttpRequest, activity_id: int, payload: AvExemptionIn) -> Status:
    """For an activity that needs AV and has none linked, with a written reason. The
    approval chain (rule ``approval_chain_av_exemption``: the unit head unless configured)
    signs it through POST /approvals/{approval_request_id}/decision, with an opinion; after
    a rejection a new exemption may be asked for."""
    activity = _visible_activity(request, activity_id, AvExemptionPerms.REQUEST)
    # The fetch above let only a person through (a device token sees no activity).
    exemption = actions.request_av_exemption(
        acting_user(request), activity, reason=payload.reason, request=request
    )
    return Status(
        201,
        activity.av_exemptions.select_related("requested_by", "approval")
        .prefetch_related("approval__approvals__approver")
        .get(pk=exemption.pk),
    )


@router.post("/activities", response={201: ActivityOut, **ERRORS_404}, summary="Record an activity")
def create_activity(request: HttpRequest, payload: ActivityIn) -> Status:
    """On-site types need the certified officers of the rule min_officers_on_site (行政处罚法
    Art. 42: two at least)."""
    case = None
    if payload.case_id is not None:
        case = access.get_visible_or_404(
            request.user, Case, action=CasePerms.VIEW, request=request, pk=payload.case_id
        )
    gps = None
    if payload.gps_lat is not None or payload.gps_lon is not None:
        gps = (_degrees(payload.gps_lat), _degrees(payload.gps_lon))
    activity = actions.record_activity_from_request(
        caller(request),
        case=case,
        type_code=payload.type,
        started_at=payload.started_at,
        ended_at=payload.ended_at,
        place=payload.place,
        officer_usernames=payload.officers,
        party_id=payload.party_id,
        gps=gps,
        non_site=payload.non_site,
        notes=payload.notes,
        request=request,
    )
    return Status(
        201,
        access.get_visible_or_404(
            request.user,
            _with_details(Activity.objects.all()),
            action=ActivityPerms.VIEW,
            request=request,
            pk=activity.pk,
        ),
    )
