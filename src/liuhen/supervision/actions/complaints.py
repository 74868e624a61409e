"""The one door of complaint replay (R22.4): recording a complaint, confirming the footage
it concerns, and the replay review with its outcome — a substantiated (or partly
substantiated) complaint raises a finding for the unit and officer complained of."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.core import access, audit
from liuhen.media.models import AvRecord
from liuhen.media.perms import MediaPerms
from liuhen.supervision.actions.findings import raise_finding
from liuhen.supervision.events import ComplaintEvents
from liuhen.supervision.models import (
    Complaint,
    ComplaintFootage,
    ComplaintReplay,
    ReplayOutcome,
    Severity,
)
from liuhen.supervision.perms import ComplaintPerms
from liuhen.supervision.rectification import catalogue

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.accounts.models import Unit, User

NOTES_MAX = 4000


def record_complaint(
    actor: User,
    *,
    channel: str,
    complainant: str,
    received_at: dt.datetime,
    occurred_from: dt.datetime,
    occurred_to: dt.datetime,
    place: str,
    summary: str,
    officers: Iterable[User] = (),
    unit: Unit | None = None,
    contact: str = "",
    request: HttpRequest | None = None,
) -> Complaint:
    access.require(actor, ComplaintPerms.RECORD, request=request)
    complainant, place, summary = complainant.strip(), place.strip(), summary.strip()
    errors: dict[str, str] = {}
    if not complainant:
        errors["complainant"] = _("Give the complainant's name (or “anonymous”).")
    if not place:
        errors["place"] = _("Give the place the complaint names.")
    if not summary:
        errors["summary"] = _("Say what the complaint is about.")
    if occurred_to < occurred_from:
        errors["occurred_to"] = _("The end of the time named is before its start.")
    if received_at > timezone.now():
        errors["received_at"] = _("The complaint cannot be received in the future.")
    if errors:
        raise ValidationError(errors)
    officers = list(officers)
    if unit is None and officers:
        unit = officers[0].unit
    with transaction.atomic(durable=True):
        complaint = Complaint.objects.create(
            channel=channel,
            complainant=complainant,
            contact=contact.strip(),
            received_at=received_at,
            occurred_from=occurred_from,
            occurred_to=occurred_to,
            place=place,
            unit=unit,
            summary=summary,
            recorded_by=actor,
        )
        complaint.officers.set(officers)
        audit.record(
            ComplaintEvents.RECORD,
            actor=actor,
            request=request,
            obj=complaint,
            details={"channel": channel, "officers": [officer.pk for officer in officers]},
        )
    return complaint


def confirm_footage(
    actor: User,
    complaint: Complaint,
    records: Iterable[AvRecord],
    *,
    suggested: Iterable[int] = (),
    request: HttpRequest | None = None,
) -> list[ComplaintFootage]:
    """Link the records the supervisor confirmed; a record must be one they may see."""
    access.require(actor, ComplaintPerms.LINK, complaint, request=request)
    records = list(records)
    if not records:
        raise ValidationError(_("Choose the footage the complaint concerns."), code="empty")
    if ComplaintReplay.objects.filter(complaint=complaint).exists():
        raise ValidationError(
            _("The replay review is recorded: no more footage can be linked."), code="replayed"
        )
    for record in records:
        access.require(actor, MediaPerms.VIEW, record, request=request)
    linked = set(complaint.footage.values_list("record_id", flat=True))
    suggested_ids = set(suggested)
    with transaction.atomic(durable=True):
        made = [
            ComplaintFootage.objects.create(
                complaint=complaint, record=record, by=actor, suggested=record.pk in suggested_ids
            )
            for record in records
            if record.pk not in linked
        ]
        audit.record(
            ComplaintEvents.LINK,
            actor=actor,
            request=request,
            obj=complaint,
            details={"records": [footage.record_id for footage in made]},
        )
    return made


def _finding_of(actor: User, complaint: Complaint, outcome: str) -> Any:
    officers = list(complaint.officers.all())
    names = "、".join(officer.display_name for officer in officers)
    summary = _("Complaint TS-%(number)s (%(who)s) was found %(outcome)s on replay: %(what)s") % {
        "number": complaint.pk,
        "who": names or complaint.place,
        "outcome": ReplayOutcome(outcome).label,
        "what": complaint.summary,
    }
    finding, _raised = raise_finding(
        actor,
        kind=catalogue.COMPLAINT_SUBSTANTIATED,
        article="R22.4",
        summary=summary,
        dedupe_key=f"complaint:{complaint.pk}",
        severity=Severity.MAJOR if outcome == ReplayOutcome.SUBSTANTIATED else Severity.MINOR,
        unit=complaint.unit,
        officer=officers[0] if len(officers) == 1 else None,
        about=complaint,
        evidence=[
            {
                "label": str(footage.record),
                "object_type": "media.avrecord",
                "object_id": str(footage.record_id),
            }
            for footage in complaint.footage.select_related("record")
        ],
    )
    return finding


def record_replay(
    actor: User,
    complaint: Complaint,
    *,
    outcome: str,
    notes: str,
    request: HttpRequest | None = None,
) -> ComplaintReplay:
    """The replay review, once per complaint; substantiated in whole or part, a finding."""
    access.require(actor, ComplaintPerms.REPLAY, complaint, request=request)
    notes = notes.strip()
    if outcome not in ReplayOutcome.values:
        raise ValidationError({"outcome": _("Choose the outcome of the replay.")})
    if not notes:
        raise ValidationError({"notes": _("Say what the footage shows.")})
    if len(notes) > NOTES_MAX:
        raise ValidationError({"notes": _("The notes are too long.")})
    if not complaint.footage.exists():
        raise ValidationError(
            _("Link the footage the complaint concerns before recording its replay."),
            code="no_footage",
        )
    if ComplaintReplay.objects.filter(complaint=complaint).exists():
        raise ValidationError(_("The replay of this complaint is recorded already."), code="done")
    with transaction.atomic(durable=True):
        finding = None
        if outcome != ReplayOutcome.NOT_SUBSTANTIATED:
            finding = _finding_of(actor, complaint, outcome)
        replay = ComplaintReplay.objects.create(
            complaint=complaint, outcome=outcome, notes=notes, by=actor, finding=finding
        )
        audit.record(
            ComplaintEvents.REPLAY,
            actor=actor,
            request=request,
            obj=complaint,
            details={"outcome": outcome, "finding": finding.pk if finding else None},
        )
    return replay
