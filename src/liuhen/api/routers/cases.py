"""GET /cases and /cases/{id}, filtered by the access policy (R21.2).

A case the caller may not see is answered 404, exactly as a case that does not exist,
so the API does not reveal that it exists.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from liuhen.accounts import access
from liuhen.api.pagination import Pagination
from liuhen.api.schemas import ERRORS, ERRORS_404
from liuhen.cases.models import Case

router = Router(tags=["cases"])


class CaseOut(Schema):
    id: int
    number: str
    title: str
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


def _visible_cases(request: HttpRequest) -> QuerySet[Case]:
    return access.visible(request.user, Case.objects.order_by("-opened_at", "-id"))


@router.get("/cases", response={200: list[CaseOut], **ERRORS}, summary="List cases")
@paginate(Pagination)
def list_cases(request: HttpRequest) -> QuerySet[Any]:
    return _visible_cases(request)


@router.get("/cases/{case_id}", response={200: CaseDetailOut, **ERRORS_404}, summary="One case")
def get_case(request: HttpRequest, case_id: int) -> Case:
    case = _visible_cases(request).filter(pk=case_id).first()
    if case is None:
        raise Http404
    # The scope and the rule must agree; ``require`` audits if they ever do not.
    access.require(request.user, "case.view", case, request=request)
    return case
