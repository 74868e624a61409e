"""Reconsideration and litigation against a decision (行政处罚法 Art. 73): while one runs,
the late-payment surcharge does not accrue; its start and its end are write-once rows."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.accounts.models import User
from liuhen.cases.actions.frozen import refuse_if_archived
from liuhen.cases.models import Decision
from liuhen.core import access, audit
from liuhen.delivery.events import PaymentEvents
from liuhen.delivery.models import ProceedingEnd, ProceedingKind, RemedyProceeding
from liuhen.delivery.perms import PaymentPerms


def _not_after_today(day: dt.date, key: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({key: [_("The date cannot be in the future.")]})


def record_proceeding(
    actor: User,
    decision: Decision,
    kind: str,
    started_on: dt.date,
    note: str = "",
    *,
    request: HttpRequest | None = None,
) -> RemedyProceeding:
    """Record that the party applied for reconsideration or sued: the surcharge does not
    accrue from ``started_on`` until the proceeding's end is recorded (Art. 73)."""
    access.require(actor, PaymentPerms.PROCEEDING, decision, request=request)
    refuse_if_archived(actor, decision.case, "delivery.record_proceeding", request=request)
    note = note.strip()
    if kind not in ProceedingKind.values:
        raise ValidationError({"kind": [_("Choose reconsideration or litigation.")]})
    _not_after_today(started_on, "started_on")
    if started_on < timezone.localdate(decision.decided_at):
        raise ValidationError({"started_on": [_("The date is before the decision was made.")]})
    with transaction.atomic(durable=True):
        Decision.objects.select_for_update().filter(pk=decision.pk).first()
        if decision.proceedings.filter(end__isnull=True).exists():
            raise ValidationError(
                _("A reconsideration or litigation is still running: record its end first."),
                code="open",
            )
        proceeding = RemedyProceeding.objects.create(
            decision=decision, kind=kind, started_on=started_on, note=note, recorded_by=actor
        )
        audit.record(
            PaymentEvents.PROCEEDING,
            actor=actor,
            request=request,
            obj=proceeding,
            case_id=decision.case_id,
            details={"kind": kind, "started_on": started_on.isoformat(), "note": note},
        )
    return proceeding


def end_proceeding(
    actor: User,
    proceeding: RemedyProceeding,
    ended_on: dt.date,
    outcome: str = "",
    *,
    request: HttpRequest | None = None,
) -> ProceedingEnd:
    """Record the end of a reconsideration or litigation; the surcharge accrues again from
    the next day (Art. 73)."""
    decision = proceeding.decision
    access.require(actor, PaymentPerms.PROCEEDING, decision, request=request)
    refuse_if_archived(actor, decision.case, "delivery.end_proceeding", request=request)
    outcome = outcome.strip()
    _not_after_today(ended_on, "ended_on")
    if ended_on < proceeding.started_on:
        raise ValidationError({"ended_on": [_("The end cannot be before the start.")]})
    with transaction.atomic(durable=True):
        RemedyProceeding.objects.select_for_update().filter(pk=proceeding.pk).first()
        if ProceedingEnd.objects.filter(proceeding=proceeding).exists():
            raise ValidationError(_("The end of this proceeding is recorded already."), "ended")
        end = ProceedingEnd.objects.create(
            proceeding=proceeding, ended_on=ended_on, outcome=outcome, recorded_by=actor
        )
        audit.record(
            PaymentEvents.PROCEEDING_END,
            actor=actor,
            request=request,
            obj=proceeding,
            case_id=decision.case_id,
            details={
                "kind": proceeding.kind,
                "started_on": proceeding.started_on.isoformat(),
                "ended_on": ended_on.isoformat(),
                "outcome": outcome,
            },
        )
    return end
