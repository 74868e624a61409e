"""Suspension 中止调查 and resumption 恢复调查 of the investigation.

农业行政处罚程序规定 (2021): where the decision depends on another case or decision not yet
made, a question of law awaits an authoritative interpretation, force majeure or the
party's unknown whereabouts make investigation temporarily impossible, the investigation
is suspended **with the approval of the agency's head**; once the cause is gone it is
resumed at once. The officer therefore asks, and the approval chain (R7.1, steps
``suspension`` and ``resumption``) decides; each takes effect on the day it is approved.
(案件中止调查决定书 / 恢复案件调查决定书, documents.md 22–23.)

Asking for either is an action (``cases.actions.suspensions``); this module says where a
suspension stands. While suspended, the decision clock pauses (the agriculture provisions
do not count the suspension; ``cases.deadlines.DecisionDeadline``) and the case may not
move to its next stage (``cases.workflow.blockers``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db.models import Prefetch, QuerySet

from liuhen.cases.models import ApprovalStatus, Case, Resumption, Stage, Suspension

SUSPENDABLE_STAGES = (Stage.INVESTIGATION, Stage.DECISION)


@dataclasses.dataclass(frozen=True)
class Period:
    """A suspension in effect from ``start`` until ``end`` (None: still running)."""

    suspension: Suspension
    start: dt.date
    end: dt.date | None

    def days(self, today: dt.date) -> int:
        return max(((self.end or today) - self.start).days, 0)


def resumed_on(suspension: Suspension) -> dt.date | None:
    """The day an approved resumption ended ``suspension`` (None: still running)."""
    days = [r.resumed_on for r in suspension.resumptions.all()]
    found = [day for day in days if day is not None]
    return min(found) if found else None


def status(suspension: Suspension) -> str:
    """Where a suspension stands: pending (awaiting approval), rejected, running, resumed —
    one answer for the case page and the API."""
    if suspension.approval.status == ApprovalStatus.PENDING:
        return "pending"
    if suspension.suspended_on is None:
        return "rejected"
    return "resumed" if resumed_on(suspension) is not None else "running"


def periods(suspensions: list[Suspension]) -> list[Period]:
    """The approved suspensions among ``suspensions``, each with its span (reads the
    prefetched approvals, so a list of cases costs no query per case)."""
    found = []
    for suspension in suspensions:
        start = suspension.suspended_on
        if start is not None:
            found.append(Period(suspension, start, resumed_on(suspension)))
    return sorted(found, key=lambda p: (p.start, p.suspension.pk))


def _suspensions(case: Case) -> list[Suspension]:
    return list(
        case.suspensions.select_related("approval", "requested_by").prefetch_related(
            "resumptions__approval", "resumptions__requested_by"
        )
    )


def with_resumptions(found: QuerySet[Suspension]) -> QuerySet[Suspension]:
    """``found`` with their approvals and resumptions (oldest first) loaded, in a constant
    number of queries."""
    resumptions = Resumption.objects.select_related("approval", "requested_by").order_by(
        "requested_at", "id"
    )
    return found.select_related("approval", "requested_by").prefetch_related(
        Prefetch("resumptions", queryset=resumptions)
    )


def current(case: Case) -> Period | None:
    """The suspension in effect now, if any."""
    running = [p for p in periods(_suspensions(case)) if p.end is None]
    return running[-1] if running else None


def is_suspended(case: Case) -> bool:
    return current(case) is not None
