"""The case page section "Hearings and suspensions" (registered when the cases app starts)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liuhen.cases import hearings, suspensions
from liuhen.cases.models import (
    Hearing,
    HearingSchedule,
    Procedure,
    Resumption,
    Suspension,
)
from liuhen.cases.perms import CasePerms
from liuhen.cases.sections import Section
from liuhen.core import access

if TYPE_CHECKING:
    import datetime as dt

    from django.http import HttpRequest

    from liuhen.cases.models import Case


@dataclass(frozen=True)
class HearingRow:
    hearing: Hearing
    schedule: HearingSchedule | None  # the one in force
    rescheduled: int  # earlier schedules replaced
    record: Any


@dataclass(frozen=True)
class SuspensionRow:
    suspension: Suspension
    start: dt.date | None  # in effect from (approved)
    end: dt.date | None  # resumed on (approved)
    status: str  # pending / rejected / running / resumed
    resumption: Resumption | None  # the latest resumption asked for

    @property
    def days(self) -> int | None:
        if self.start is None:
            return None
        return ((self.end or timezone.localdate()) - self.start).days


def _suspension_rows(case: Case) -> list[SuspensionRow]:
    rows = []
    for suspension in suspensions.with_resumptions(case.suspensions.all()):
        latest = list(suspension.resumptions.all())
        rows.append(
            SuspensionRow(
                suspension,
                suspension.suspended_on,
                suspensions.resumed_on(suspension),
                suspensions.status(suspension),
                latest[-1] if latest else None,
            )
        )
    return rows


def _hearings(request: HttpRequest, case: Case) -> dict[str, Any]:
    found = hearings.with_schedules(case.hearings.all())
    rows = []
    for hearing in found:
        schedules = list(hearing.schedules.all())
        rows.append(
            HearingRow(
                hearing,
                hearings.latest_schedule(hearing),
                max(len(schedules) - 1, 0),
                hearings.held(hearing),
            )
        )
    windows = hearings.request_windows(case)
    suspension_rows = _suspension_rows(case)
    open_case = case.closed_at is None and case.procedure == Procedure.ORDINARY
    user = request.user
    return {
        "case": case,
        "hearings": rows,
        "windows": windows,
        "suspensions": suspension_rows,
        "suspended": any(row.status == "running" for row in suspension_rows),
        "may_hearing": open_case
        and (
            access.can(user, CasePerms.HEARING, case)
            or access.can(user, CasePerms.HEARING_RECORD, case)
        ),
        "may_suspend": open_case and access.can(user, CasePerms.SUSPEND, case),
    }


SECTION = Section(
    "hearings",
    _("Hearings and suspension"),
    "cases/sections/hearings.html",
    order=25,
    context=_hearings,
)
