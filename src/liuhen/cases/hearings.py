"""Hearings 听证 (行政处罚法 Art. 63–65; R8.1 rights notices).

The party asks for a hearing within the ``hearing_request`` window (5 working days of the
advance notice, Art. 64(1), 85) on a notice that named the hearing right and that it did
not waive (R8.2); the party is told the time and place at least ``hearing_notice`` working
days before (Art. 64(2)); the chair is not an investigator of the case (Art. 64(4)); the
hearing held is recorded with its transcript summary and outcome, and the case is then
marked ``hearing_held`` — which makes legal review 法制审核 required (Art. 58(1)(二)).

Whether the right to a hearing must be notified at all is computed from the proposed
penalty (:func:`hearing_right`): the penalty kinds of the rule ``hearing_penalty_kinds``
always carry it (Art. 63 (三)(四)), a fine or a confiscation only from the amounts the
province sets (rules ``hearing_large_*``, per citizen or organisation; Art. 63 (一)(二),
农业行政处罚程序规定 Art. 59).

Each step adds a write-once row (see :class:`liuhen.cases.models.Hearing`), recorded by
the actions of ``cases.actions.hearings``; this module computes the windows and says who
may chair.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.accounts.models import Role, User
from liuhen.cases.models import (
    AdvanceNotice,
    Hearing,
    HearingRecord,
    HearingSchedule,
    PenaltyKind,
)
from liuhen.core import calendar, rules
from liuhen.subjects.models import PartyRole, SubjectKind

if TYPE_CHECKING:
    from liuhen.cases.models import Case

# People who may chair or clerk a hearing: the bureau's enforcement staff (never an
# administrator, R21.2); investigators of the case may not chair it (Art. 64(4)).
HEARING_STAFF_ROLES = (Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD, Role.LEGAL_REVIEWER)


CONFISCATION_KINDS = (PenaltyKind.CONFISCATE_GAINS, PenaltyKind.CONFISCATE_GOODS)


@dataclass(frozen=True)
class HearingRight:
    """Whether a proposed penalty obliges the agency to notify the right to a hearing
    (行政处罚法 Art. 63), and why: one reason per ground, for people to read."""

    reasons: tuple[str, ...]

    @property
    def required(self) -> bool:
        return bool(self.reasons)

    def __bool__(self) -> bool:
        return self.required


def _yuan(fen: int) -> str:
    return f"¥{fen // 100:,}.{fen % 100:02d}"


def hearing_right(
    *,
    kinds: Iterable[str],
    fine_fen: int = 0,
    confiscation_fen: int = 0,
    organisation: bool = False,
) -> HearingRight:
    """Whether the penalty proposed — its ``kinds``, the fine and the value of what is
    confiscated, in fen — must be notified with the right to a hearing (Art. 63;
    农业行政处罚程序规定 Art. 59). ``organisation``: the party is a legal person or other
    organisation (else the lower thresholds for a citizen apply).

    A confiscation whose value is not stated counts as large: the hearing is offered
    rather than risk omitting a required one.
    """
    kinds = list(kinds)
    who = "organisation" if organisation else "person"
    reasons: list[str] = []
    names = dict(PenaltyKind.choices)
    forcing = set(rules.value("hearing_penalty_kinds"))
    for kind in kinds:
        if kind in forcing:
            reasons.append(
                _("the proposed penalty includes %(penalty)s") % {"penalty": names.get(kind, kind)}
            )
    fine_limit = int(rules.value(f"hearing_large_fine_{who}"))
    if fine_fen > 0 and fine_fen >= fine_limit:
        message = (
            _(
                "the proposed fine of %(amount)s is a large fine on a legal person or other "
                "organisation (from %(limit)s)"
            )
            if organisation
            else _("the proposed fine of %(amount)s is a large fine on a citizen (from %(limit)s)")
        )
        reasons.append(message % {"amount": _yuan(fine_fen), "limit": _yuan(fine_limit)})
    if any(kind in CONFISCATION_KINDS for kind in kinds):
        limit = int(rules.value(f"hearing_large_confiscation_{who}"))
        if confiscation_fen <= 0:
            reasons.append(
                _("the value of the illegal gains or property to be confiscated is not stated")
            )
        elif confiscation_fen >= limit:
            message = (
                _(
                    "the illegal gains or property to be confiscated, worth %(amount)s, are a "
                    "large confiscation from a legal person or other organisation (from "
                    "%(limit)s)"
                )
                if organisation
                else _(
                    "the illegal gains or property to be confiscated, worth %(amount)s, are a "
                    "large confiscation from a citizen (from %(limit)s)"
                )
            )
            reasons.append(message % {"amount": _yuan(confiscation_fen), "limit": _yuan(limit)})
    return HearingRight(tuple(reasons))


def parties_are_organisations(case: Case) -> bool:
    """True when every party of ``case`` is a unit (legal person or other organisation).
    A citizen among them, or no party linked yet, brings the lower thresholds of a
    citizen: the hearing is then offered rather than omitted."""
    kinds = set(case.parties.filter(role=PartyRole.PARTY).values_list("subject__kind", flat=True))
    return kinds == {SubjectKind.UNIT}


def notice_hearing_right(notice: AdvanceNotice) -> HearingRight:
    """:func:`hearing_right` for the penalty proposed in ``notice``."""
    return hearing_right(
        kinds=notice.penalty_kinds or (),
        fine_fen=notice.proposed_fine_fen,
        confiscation_fen=notice.proposed_confiscation_fen,
        organisation=parties_are_organisations(notice.case),
    )


def case_hearing_right(case: Case) -> HearingRight | None:
    """:func:`hearing_right` for the penalty proposed in the case's latest advance notice
    (the one in force); None when no advance notice is recorded yet."""
    notice = case.advance_notices.order_by("-notified_at", "-id").first()
    return notice_hearing_right(notice) if notice is not None else None


def hearing_staff() -> QuerySet[User]:
    """The people a hearing's chair and clerk are chosen among."""
    staff = User.objects.filter(is_active=True, role_grants__role__in=HEARING_STAFF_ROLES)
    return staff.distinct().order_by("full_name", "username")


def staff_ids(case: Case) -> set[int]:
    """The chairs and clerks named for the case's hearings: they sign the transcript's lines
    of the chair and the clerk, and the chair never investigates the case (Art. 64(4))."""
    schedules = HearingSchedule.objects.filter(hearing__case=case)
    ids = set(schedules.values_list("chair_id", flat=True))
    ids |= set(schedules.exclude(clerk=None).values_list("clerk_id", flat=True))
    return ids


def with_schedules(found: QuerySet[Hearing]) -> QuerySet[Hearing]:
    """``found`` with their notice, schedules (chair, clerk) and record loaded, in a
    constant number of queries."""
    schedules = HearingSchedule.objects.select_related("chair", "clerk", "recorded_by")
    return found.select_related("notice", "recorded_by", "record__recorded_by").prefetch_related(
        Prefetch("schedules", queryset=schedules)
    )


def local_day(value: dt.datetime) -> dt.date:
    """The bureau's calendar day of ``value`` (a naive value is taken as local)."""
    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


def request_window_closes(notice: AdvanceNotice) -> dt.date:
    """The last day the party may ask for a hearing on ``notice`` (Art. 64(1), 85)."""
    return calendar.deadline(local_day(notice.notified_at), "hearing_request").due


def earliest_hearing_day(notified_at: dt.datetime) -> dt.date:
    """The first day a hearing can be held when the party was told on ``notified_at``:
    ``hearing_notice`` working days must run in between (Art. 64(2), 85)."""
    return calendar.add_working_days(local_day(notified_at), int(rules.value("hearing_notice")))


def request_windows(case: Case) -> list[tuple[AdvanceNotice, dt.date]]:
    """The advance notices of ``case`` on which the party may still ask for a hearing, latest
    first, each with the last day to ask: the notice named the hearing right (R8.1), no
    hearing was asked for on it and the party did not waive it (R8.2)."""
    notices = case.advance_notices.order_by("-notified_at", "-id").prefetch_related(
        "waivers", "hearings"
    )
    return [
        (notice, request_window_closes(notice))
        for notice in notices
        if "hearing" in (notice.rights or [])
        and not notice.hearings.all()
        and not any("hearing" in w.rights for w in notice.waivers.all())
    ]


def investigators(case: Case) -> set[int]:
    """Ids of the case's investigators: its assigned officers and every officer present
    at one of its activities (Art. 64(4): none of them chairs the hearing)."""
    ids = set(case.officers.values_list("pk", flat=True))
    present = case.activities.filter(presences__isnull=False)
    ids.update(present.values_list("presences__officer_id", flat=True))
    return ids


def latest_schedule(hearing: Hearing) -> HearingSchedule | None:
    """The schedule in force: the latest recorded (a new one reschedules)."""
    schedules = list(hearing.schedules.all())
    return max(schedules, key=lambda s: (s.recorded_at, s.pk)) if schedules else None


def held(hearing: Hearing) -> HearingRecord | None:
    try:
        return hearing.record
    except HearingRecord.DoesNotExist:
        return None


def awaiting_hearing(case: Case) -> Hearing | None:
    """A hearing the party asked for and that has not been held yet: the decision is made
    on the hearing transcript (Art. 65), so it waits (for ``decision_blockers``)."""
    return case.hearings.filter(record__isnull=True).order_by("requested_at").first()


def pending_hearing(case: Case) -> Hearing | None:
    """The latest hearing asked for and not yet held, with its schedules."""
    return (
        case.hearings.filter(record__isnull=True)
        .prefetch_related("schedules")
        .order_by("-requested_at", "-id")
        .first()
    )
