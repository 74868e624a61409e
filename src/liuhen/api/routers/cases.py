"""GET /cases, /cases/{id} and /cases/{id}/timeline, POST /cases — under the access policy (R21.2).

A case the caller may not see is answered 404, exactly as a case that does not exist,
so the API does not reveal that it exists.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from liuhen.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, Pagination
from liuhen.api.schemas import ERRORS, ERRORS_404
from liuhen.cases import timeline
from liuhen.cases.actions.registration import create_case_from_request, read_timeline
from liuhen.cases.http import AuthenticatedRequest
from liuhen.cases.models import Case
from liuhen.cases.perms import CasePerms
from liuhen.core import access
from liuhen.core.confidentiality import Confidentiality

router = Router(tags=["cases"])


class CaseOut(Schema):
    id: int
    number: str
    title: str
    field: str
    unit_id: int
    stage: str
    confidentiality: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None


class CaseDetailOut(CaseOut):
    officers: list[str]

    @staticmethod
    def resolve_officers(case: Case) -> list[str]:
        return [officer.get_username() for officer in case.officers.order_by("username")]


class CaseIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    field: str = Field(min_length=1, max_length=20, description="执法领域 in the number, e.g. 农药")
    unit_id: int | None = Field(None, description="default: the caller's unit")
    officers: list[str] = Field(default_factory=list, description="usernames of assigned officers")
    confidentiality: Confidentiality = Confidentiality.ORDINARY


class TimelineQuery(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="page size")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="items to skip")


class TimelineEventOut(Schema):
    seq: int
    time: dt.datetime
    actor: str = Field(description="full name for a user, else the recorded actor")
    action: str
    action_label: str
    outcome: str
    object_type: str
    object_id: str


class TimelinePageOut(Schema):
    items: list[TimelineEventOut]
    count: int
    limit: int
    offset: int


@router.get("/cases", response={200: list[CaseOut], **ERRORS}, summary="List cases")
@paginate(Pagination)
def list_cases(request: AuthenticatedRequest) -> QuerySet[Any]:
    return access.visible(request.user, Case.objects.order_by("-opened_at", "-id"))


@router.get("/cases/{case_id}", response={200: CaseDetailOut, **ERRORS_404}, summary="One case")
def get_case(request: AuthenticatedRequest, case_id: int) -> Case:
    return access.get_visible_or_404(
        request.user, Case, action=CasePerms.VIEW, request=request, pk=case_id
    )


@router.post("/cases", response={201: CaseDetailOut, **ERRORS}, summary="Create a case")
def create_case(request: AuthenticatedRequest, payload: CaseIn) -> Status:
    """Create a case; its 文号 is allocated (gapless per year, kind and field)."""
    case = create_case_from_request(
        request.user,
        title=payload.title,
        field=payload.field,
        unit_id=payload.unit_id,
        officer_usernames=payload.officers,
        confidentiality=payload.confidentiality,
        request=request,
    )
    return Status(201, case)


@router.get(
    "/cases/{case_id}/timeline",
    response={200: TimelinePageOut, **ERRORS_404},
    summary="The case's history (全程留痕), newest first",
)
def case_timeline(
    request: AuthenticatedRequest, case_id: int, page: Query[TimelineQuery]
) -> dict[str, Any]:
    case = access.get_visible_or_404(
        request.user, Case, action=CasePerms.TIMELINE, request=request, pk=case_id
    )
    read = read_timeline(
        request.user, case, limit=page.limit, offset=page.offset, count=True, request=request
    )
    return {
        "items": [
            {
                "seq": entry.event.seq,
                "time": entry.event.time,
                "actor": entry.actor,
                "action": entry.event.action,
                "action_label": entry.event.action_label,
                "outcome": entry.event.outcome,
                "object_type": entry.event.object_type,
                "object_id": entry.event.object_id,
            }
            for entry in timeline.entries(read.events)
        ],
        "count": read.total,
        "limit": page.limit,
        "offset": page.offset,
    }
