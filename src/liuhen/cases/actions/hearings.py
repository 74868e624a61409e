"""Hearings 听证 (行政处罚法 Art. 63–65): the party's request, its schedule and notice, the
hearing held. Each adds a write-once row; the windows and the chair's exclusion are
computed by ``cases.hearings``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.cases.actions.frozen import refuse_if_archived
from liuhen.cases.events import CaseEvents
from liuhen.cases.hearings import (
    earliest_hearing_day,
    held,
    investigators,
    latest_schedule,
    local_day,
    request_window_closes,
)
from liuhen.cases.models import (
    AdvanceNotice,
    Case,
    Decision,
    Hearing,
    HearingRecord,
    HearingSchedule,
    Procedure,
)
from liuhen.cases.perms import CasePerms
from liuhen.core import access, audit, rules

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.accounts.models import User

# A record of something that happened may be a few minutes ahead of the server's clock.
_CLOCK_SKEW = dt.timedelta(minutes=5)


def _not_in_future(value: dt.datetime, message: str) -> None:
    if value > timezone.now() + _CLOCK_SKEW:
        raise ValidationError(message, code="future")


def _check_open(case: Case) -> None:
    if case.procedure != Procedure.ORDINARY:
        raise ValidationError(_("Hearings belong to the ordinary procedure."), code="state")
    if case.closed_at is not None:
        raise ValidationError(_("The case is closed."), code="state")
    if Decision.objects.filter(case=case).exists():
        raise ValidationError(
            _("The decision has been made: a hearing is held before the decision."),
            code="state",
        )


def request_hearing(
    actor: User,
    notice: AdvanceNotice,
    *,
    requested_at: dt.datetime,
    requested_by_party: str,
    request_method: str,
    request: HttpRequest | None = None,
) -> Hearing:
    """Record the party's request for a hearing on the advance notice ``notice``."""
    case = notice.case
    access.require(actor, CasePerms.HEARING, case, request=request)
    refuse_if_archived(actor, case, "cases.request_hearing", request=request)
    _check_open(case)
    requested_by_party, request_method = requested_by_party.strip(), request_method.strip()
    if not requested_by_party or not request_method:
        raise ValidationError(
            _("Say who asked for the hearing and how (in writing, orally…)."), code="required"
        )
    if "hearing" not in (notice.rights or []):
        raise ValidationError(
            _(
                "The advance notice did not notify the right to a hearing: no hearing can "
                "be requested on it (Administrative Penalty Law Art. 63, 64)."
            ),
            code="no_hearing_right",
        )
    waiver = next(
        (w for w in notice.waivers.order_by("recorded_at", "id") if "hearing" in w.rights), None
    )
    if waiver is not None:
        raise ValidationError(
            _(
                "The party waived the hearing on %(date)s (basis: the recording rules, Art. 8): "
                "no hearing can be requested."
            )
            % {"date": f"{timezone.localtime(waiver.recorded_at):%Y-%m-%d}"},
            code="waived",
        )
    if requested_at < notice.notified_at:
        raise ValidationError(
            _("The request cannot be earlier than the advance notice."), code="invalid"
        )
    _not_in_future(requested_at, _("The request cannot be dated in the future."))
    closes = request_window_closes(notice)
    if local_day(requested_at) > closes:
        raise ValidationError(
            _(
                "The hearing was requested too late: the party may ask within %(days)s "
                "working days of the advance notice, that is by %(date)s (Administrative "
                "Penalty Law Art. 64(1), 85)."
            )
            % {"days": rules.value("hearing_request"), "date": f"{closes:%Y-%m-%d}"},
            code="late",
        )
    if Hearing.objects.filter(notice=notice).exists():
        raise ValidationError(
            _("A hearing has been requested on this advance notice already."), code="duplicate"
        )
    with transaction.atomic(durable=True):
        hearing = Hearing.objects.create(
            case=case,
            notice=notice,
            requested_at=requested_at,
            requested_by_party=requested_by_party,
            request_method=request_method,
            recorded_by=actor,
        )
        audit.record(
            CaseEvents.HEARING_REQUEST,
            actor=actor,
            request=request,
            obj=hearing,
            case_id=case.pk,
            details={
                "notice": notice.pk,
                "requested_at": requested_at.isoformat(),
                "by": requested_by_party,
                "method": request_method,
                "window_closes": closes.isoformat(),
            },
        )
    return hearing


def schedule_hearing(
    actor: User,
    hearing: Hearing,
    *,
    scheduled_at: dt.datetime,
    place: str,
    chair: User,
    notified_at: dt.datetime,
    clerk: User | None = None,
    public: bool = True,
    closed_reason: str = "",
    request: HttpRequest | None = None,
) -> HearingSchedule:
    """Record the time, place, chair and clerk of ``hearing`` and when the party was told.

    A second schedule reschedules the hearing (it needs its own timely notice).
    """
    case = hearing.case
    access.require(actor, CasePerms.HEARING, case, request=request)
    refuse_if_archived(actor, case, "cases.schedule_hearing", request=request)
    _check_open(case)
    if held(hearing) is not None:
        raise ValidationError(_("This hearing has been held already."), code="state")
    place, closed_reason = place.strip(), closed_reason.strip()
    if not place:
        raise ValidationError(_("Give the place of the hearing."), code="required")
    if not public and not closed_reason:
        # Art. 64(3): public unless state secrets, trade secrets or privacy are involved.
        raise ValidationError(
            _(
                "A hearing is public unless it involves state secrets, trade secrets or "
                "personal privacy: give the reason it is closed (Art. 64(3))."
            ),
            code="required",
        )
    if chair.is_admin_role or not chair.is_active:
        raise ValidationError(_("Choose the chair from the bureau's staff."), code="invalid")
    if chair.pk in investigators(case):
        raise ValidationError(
            _(
                "%(name)s investigates this case and may not chair its hearing "
                "(Administrative Penalty Law Art. 64(4))."
            )
            % {"name": chair.full_name or chair.get_username()},
            code="chair_investigator",
        )
    if clerk is not None and (clerk.pk == chair.pk or clerk.is_admin_role):
        raise ValidationError(
            _("The clerk is another member of staff than the chair."), code="invalid"
        )
    if notified_at < hearing.requested_at:
        raise ValidationError(
            _("The party cannot have been told of the hearing before asking for it."),
            code="invalid",
        )
    _not_in_future(notified_at, _("The notice of the hearing cannot be dated in the future."))
    earliest = earliest_hearing_day(notified_at)
    if local_day(scheduled_at) < earliest:
        raise ValidationError(
            _(
                "The party must be told of the hearing at least %(days)s working days before "
                "it (Administrative Penalty Law Art. 64(2), 85): told on %(told)s, the "
                "hearing can be held on %(earliest)s at the earliest."
            )
            % {
                "days": rules.value("hearing_notice"),
                "told": f"{local_day(notified_at):%Y-%m-%d}",
                "earliest": f"{earliest:%Y-%m-%d}",
            },
            code="notice_too_short",
        )
    with transaction.atomic(durable=True):
        rescheduled = hearing.schedules.exists()
        schedule = HearingSchedule.objects.create(
            hearing=hearing,
            scheduled_at=scheduled_at,
            place=place,
            chair=chair,
            clerk=clerk,
            notified_at=notified_at,
            public=public,
            closed_reason="" if public else closed_reason,
            recorded_by=actor,
        )
        audit.record(
            CaseEvents.HEARING_SCHEDULE,
            actor=actor,
            request=request,
            obj=schedule,
            case_id=case.pk,
            details={
                "hearing": hearing.pk,
                "scheduled_at": scheduled_at.isoformat(),
                "place": place,
                "chair": chair.pk,
                "clerk": clerk.pk if clerk is not None else None,
                "notified_at": notified_at.isoformat(),
                "public": public,
                "rescheduled": rescheduled,
            },
        )
    return schedule


def record_hearing_held(
    actor: User,
    hearing: Hearing,
    *,
    held_at: dt.datetime,
    summary: str,
    outcome: str,
    request: HttpRequest | None = None,
) -> HearingRecord:
    """The hearing was held as scheduled: its transcript summary and outcome (Art. 64(8),
    65). The case is marked ``hearing_held`` (legal review then required, Art. 58)."""
    case = hearing.case
    access.require(actor, CasePerms.HEARING_RECORD, case, request=request)
    refuse_if_archived(actor, case, "cases.record_hearing_held", request=request)
    _check_open(case)
    summary, outcome = summary.strip(), outcome.strip()
    if not summary or not outcome:
        raise ValidationError(
            _("Record the summary of the hearing transcript and its outcome."), code="required"
        )
    if held(hearing) is not None:
        raise ValidationError(_("This hearing has been held already."), code="state")
    schedule = latest_schedule(hearing)
    if schedule is None:
        raise ValidationError(
            _("The hearing has not been scheduled and notified to the party."), code="state"
        )
    _not_in_future(held_at, _("A hearing cannot be recorded as held in the future."))
    if local_day(held_at) != local_day(schedule.scheduled_at):
        raise ValidationError(
            _(
                "The hearing was notified for %(date)s; if it was held on another day, record "
                "the new time and its notice first."
            )
            % {"date": f"{local_day(schedule.scheduled_at):%Y-%m-%d}"},
            code="not_as_scheduled",
        )
    with transaction.atomic(durable=True):
        record = HearingRecord.objects.create(
            hearing=hearing,
            schedule=schedule,
            held_at=held_at,
            summary=summary,
            outcome=outcome,
            recorded_by=actor,
        )
        case = Case.objects.select_for_update().get(pk=case.pk)
        case.hearing_held = True
        case.save(update_fields=["hearing_held"])
        audit.record(
            CaseEvents.HEARING_HELD,
            actor=actor,
            request=request,
            obj=record,
            case_id=case.pk,
            details={
                "hearing": hearing.pk,
                "held_at": held_at.isoformat(),
                "chair": schedule.chair_id,
                "outcome": outcome,
            },
        )
    hearing.case.hearing_held = True
    return record
