"""GET /deadlines, /deadlines/unit and /cases/{id}/deadlines: running clocks,
under the same access policy as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Router, Schema

from liuhen.accounts.models import Unit
from liuhen.api.schemas import ERRORS, ERRORS_404
from liuhen.cases import deadlines
from liuhen.cases.deadlines import Clock
from liuhen.cases.http import AuthenticatedRequest
from liuhen.cases.models import Case
from liuhen.cases.perms import CasePerms
from liuhen.core import access
from liuhen.deadlines import lists
from liuhen.deadlines.perms import DeadlinePerms

router = Router(tags=["deadlines"])


class UncountedOut(Schema):
    code: str = Field(description="suspension, hearing, public_notice or testing")
    label: str
    start: dt.date
    end: dt.date | None = Field(description="null while it runs")


class ClockOut(Schema):
    code: str
    label: str
    rule_key: str
    citation: str
    kind: str
    started_on: dt.date
    due: dt.date
    status: str
    met_on: dt.date | None
    days_left: int | None
    warning: str
    paused: bool = Field(
        description="a span not counted is running (decision: a suspension; under the "
        "agriculture rule also a hearing, public notice or testing)"
    )
    paused_days: int = Field(description="days of finished spans not counted, added to the period")
    uncounted: list[UncountedOut] = Field(
        default_factory=list, description="the spans not counted (decision clock)"
    )
    case_id: int | None
    lead_id: int | None


def _out(clock: Clock) -> dict[str, Any]:
    return {
        "code": clock.code,
        "label": str(clock.label),
        "rule_key": clock.rule_key,
        "citation": clock.citation,
        "kind": clock.kind,
        "started_on": clock.started_on,
        "due": clock.due,
        "status": clock.status,
        "met_on": clock.met_on,
        "days_left": clock.days_left,
        "warning": clock.warning,
        "paused": clock.paused,
        "paused_days": clock.paused_days,
        "uncounted": [
            {"code": s.code, "label": str(s.what), "start": s.start, "end": s.end}
            for s in clock.uncounted
        ],
        "case_id": clock.case_id,
        "lead_id": getattr(clock.lead, "pk", None),
    }


def _flat(grouped: lists.Grouped) -> list[dict[str, Any]]:
    return [_out(c) for c in (*grouped.overdue, *grouped.due_soon, *grouped.running)]


@router.get("/deadlines", response={200: list[ClockOut], **ERRORS}, summary="My open deadlines")
def my_deadlines(request: AuthenticatedRequest) -> list[dict[str, Any]]:
    return _flat(lists.my_clocks(request.user, request=request))


@router.get(
    "/deadlines/unit",
    response={200: list[ClockOut], **ERRORS_404},
    summary="Open deadlines of a unit (all units: agency head, without unit_id)",
)
def unit_deadlines(
    request: AuthenticatedRequest, unit_id: int | None = None
) -> list[dict[str, Any]]:
    unit = lists.default_unit(request.user)
    if unit_id is not None:
        unit = access.get_visible_or_404(
            request.user, Unit, action=DeadlinePerms.LIST_UNIT, request=request, pk=unit_id
        )
    return _flat(lists.unit_clocks(request.user, unit, request=request))


@router.get(
    "/cases/{case_id}/deadlines",
    response={200: list[ClockOut], **ERRORS_404},
    summary="Every clock of one case, met ones included",
)
def case_deadlines(request: AuthenticatedRequest, case_id: int) -> list[dict[str, Any]]:
    case = access.get_visible_or_404(
        request.user, Case, action=CasePerms.VIEW, request=request, pk=case_id
    )
    return [_out(c) for c in deadlines.clocks_for_case(case)]
