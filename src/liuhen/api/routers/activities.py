"""Enforcement activities: list a case's, read one, record one (a mobile terminal records
on site with the officer's token) — under the same access policy as the pages (R4.2).

A case or activity the caller may not see is answered 404, as one that does not exist.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from liuhen.accounts import access
from liuhen.accounts.models import User
from liuhen.activities import actions
from liuhen.activities.av import linked_av_count
from liuhen.activities.models import Activity
from liuhen.api.pagination import Pagination
from liuhen.api.schemas import ERRORS_404
from liuhen.cases.models import Case

router = Router(tags=["activities"])


class OfficerPresentOut(Schema):
    username: str
    name: str
    certificate_number: str


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
        exemption = getattr(activity, "av_exemption", None)
        return exemption is not None and exemption.approved


class ActivityIn(Schema):
    case_id: int | None = Field(None, description="none for an act outside a case (patrol)")
    type: str = Field(min_length=1, max_length=64, description="activity type code")
    started_at: dt.datetime
    ended_at: dt.datetime
    place: str = Field(min_length=1, max_length=300)
    officers: list[str] = Field(min_length=1, description="usernames of the officers present")
    party_id: int | None = None
    gps_lat: Decimal | None = None
    gps_lon: Decimal | None = None
    non_site: bool = False
    notes: str = ""


def _activities() -> QuerySet[Activity]:
    return Activity.objects.select_related("type", "av_exemption").prefetch_related(
        "presences__officer"
    )


def _visible_case(request: HttpRequest, case_id: int) -> Case:
    case = access.visible(request.user, Case.objects.all()).filter(pk=case_id).first()
    if case is None:
        raise Http404
    access.require(request.user, "case.view", case, request=request)
    return case


@router.get(
    "/cases/{case_id}/activities",
    response={200: list[ActivityOut], **ERRORS_404},
    summary="A case's enforcement activities",
)
@paginate(Pagination)
def case_activities(request: HttpRequest, case_id: int) -> QuerySet[Any]:
    case = _visible_case(request, case_id)
    return _activities().filter(case=case).order_by("-started_at", "-id")


@router.get(
    "/activities/{activity_id}", response={200: ActivityOut, **ERRORS_404}, summary="One activity"
)
def get_activity(request: HttpRequest, activity_id: int) -> Activity:
    activity = access.visible(request.user, _activities()).filter(pk=activity_id).first()
    if activity is None:
        raise Http404
    actions.view_activity(request.user, activity, request=request)
    return activity


@router.post("/activities", response={201: ActivityOut, **ERRORS_404}, summary="Record an activity")
def create_activity(request: HttpRequest, payload: ActivityIn) -> Status:
    """On-site types need two officers with valid certificates (行政处罚法 Art. 42)."""
    actor: User = request.user  # type: ignore[assignment]  # TokenAuth: a User here
    case = _visible_case(request, payload.case_id) if payload.case_id is not None else None
    gps = None
    if payload.gps_lat is not None or payload.gps_lon is not None:
        gps = (payload.gps_lat, payload.gps_lon)
    activity = actions.record_activity_from_request(
        actor,
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
    return Status(201, _activities().get(pk=activity.pk))
