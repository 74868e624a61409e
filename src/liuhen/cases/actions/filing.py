"""Leads 线索 and filing 立案 / 不予立案, both decided by approval (R7.1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liuhen.accounts.certificates import valid_certificate
from liuhen.accounts.models import Unit, User
from liuhen.cases import approvals, enforcement_fields
from liuhen.cases.actions.approvals import _request_approval
from liuhen.cases.actions.assignment import (
    _record_party,
    check_assignable,
    min_certified_officers,
)
from liuhen.cases.actions.registration import _open_case
from liuhen.cases.events import LeadEvents
from liuhen.cases.leads import limitation_warnings
from liuhen.cases.models import ApprovalRequest, Lead, LeadSource, LeadStatus, Stage
from liuhen.cases.perms import LeadPerms
from liuhen.core import access, audit
from liuhen.subjects.models import CaseParty

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.subjects.models import Subject


def record_lead(
    actor: User,
    *,
    source: str,
    summary: str,
    unit: Unit,
    received_at: dt.datetime | None = None,
    violation_date: dt.date | None = None,
    subject: Subject | None = None,
    request: HttpRequest | None = None,
) -> Lead:
    access.require(actor, LeadPerms.CREATE, unit, request=request)
    summary = summary.strip()
    if not summary:
        raise ValidationError({"summary": [_("Describe the lead.")]})
    if source not in LeadSource.values:
        raise ValidationError({"source": [_("Unknown source.")]})
    with transaction.atomic(durable=True):
        lead = Lead.objects.create(
            source=source,
            summary=summary,
            unit=unit,
            recorded_by=actor,
            received_at=received_at or timezone.now(),
            violation_date=violation_date,
            subject=subject,
        )
        audit.record(
            LeadEvents.CREATE,
            actor=actor,
            request=request,
            obj=lead,
            details={"source": source, "subject": subject.pk if subject else None},
        )
    return lead


def propose_filing(
    actor: User,
    lead: Lead,
    *,
    title: str,
    field: str,
    officers: Iterable[User] = (),
    note: str = "",
    request: HttpRequest | None = None,
) -> tuple[ApprovalRequest, list[str]]:
    """Ask to open a case 立案 on ``lead``; returns the request and limitation warnings."""
    return _propose(
        actor,
        lead,
        "filing",
        title=title,
        field=field,
        officers=officers,
        note=note,
        request=request,
    )


def decline_filing(
    actor: User, lead: Lead, *, note: str, request: HttpRequest | None = None
) -> ApprovalRequest:
    """Ask not to open a case 不予立案 (with the reason in ``note``)."""
    if not note.strip():
        raise ValidationError({"note": [_("Give the reason for not filing.")]})
    approval_request, _warnings = _propose(
        actor, lead, "decline_filing", note=note, request=request
    )
    return approval_request


def _propose(
    actor: User,
    lead: Lead,
    step: str,
    *,
    title: str = "",
    field: str = "",
    officers: Iterable[User] = (),
    note: str = "",
    request: HttpRequest | None = None,
) -> tuple[ApprovalRequest, list[str]]:
    """The body of :func:`propose_filing` and :func:`decline_filing`."""
    access.require(actor, LeadPerms.PROPOSE, lead, request=request)
    if lead.status != LeadStatus.OPEN:
        raise ValidationError(_("This lead is not open for a filing decision."), code="state")
    officers = list(officers)
    officer_ids = [officer.pk for officer in officers]
    if step == "filing":
        title, field = title.strip(), field.strip()
        if not title or not field:
            raise ValidationError(
                _("Name the case and the field of enforcement (e.g. 农药)."), code="required"
            )
        field = enforcement_fields.resolve(field)
        # R4.2: the officers named are certified today; they become the case's officers.
        today = timezone.localdate()
        check_assignable([o for o in officers if o.pk != actor.pk], today)
        if actor.pk not in officer_ids:
            officer_ids.insert(0, actor.pk)
            officers.insert(0, actor)
        _require_enough_certified(officers, today)
    with transaction.atomic(durable=True):
        lead.status = LeadStatus.PROPOSED
        lead.proposal = {"title": title, "field": field, "officers": officer_ids}
        lead.save(update_fields=["status", "proposal"])
        # The rule of "approval.request" on a lead is the one of "lead.propose".
        approval_request = _request_approval(
            actor, step=step, case=None, lead=lead, note=note, request=request
        )
    return approval_request, limitation_warnings(lead.violation_date)


def _require_enough_certified(officers: list[User], day: dt.date) -> None:
    """R4.2 (行政处罚法 Art. 42): the case the proposal opens is worked by at least the
    rule's number of officers with a certificate valid on ``day`` — the proposer counts
    when certified — so the approval cannot open a case nobody may lawfully work alone."""
    certified = [o for o in officers if valid_certificate(o, day) is not None]
    minimum = min_certified_officers()
    if len(certified) < minimum:
        raise ValidationError(
            {
                "officers": [
                    _(
                        "A case is worked by at least %(min)d officers holding an enforcement "
                        "certificate valid today (Administrative Penalty Law Art. 42): "
                        "choose the other officers of the case."
                    )
                    % {"min": minimum}
                ]
            },
            code="officers",
        )


# --- what the approval of a lead's step carries out (R7.1) ---------------------------------


def _file(actor: User, approval_request: ApprovalRequest, request: HttpRequest | None) -> None:
    if approval_request.lead_id is None:
        return  # a created case's filing: approval lets it leave initiation (workflow)
    lead = Lead.objects.select_for_update().get(pk=approval_request.lead_id)
    proposal = lead.proposal
    officers = User.objects.filter(pk__in=proposal.get("officers", []))
    # The approval is the authority to open the case: the approver is recorded as actor.
    case = _open_case(
        actor,
        title=proposal["title"],
        unit=lead.unit,
        field=proposal["field"],
        officers=officers,
        stage=Stage.INVESTIGATION,
        request=request,
        details={"lead": lead.pk, "approval_request": approval_request.pk},
    )
    if lead.subject_id is not None:
        link = CaseParty.objects.create(case=case, subject_id=lead.subject_id, created_by=actor)
        _record_party(actor, link)
    lead.case = case
    lead.status = LeadStatus.FILED
    lead.save(update_fields=["case", "status"])
    ApprovalRequest.objects.filter(pk=approval_request.pk).update(case=case)
    audit.record(LeadEvents.FILE, actor=actor, request=request, obj=lead, case_id=case.pk)


def _decline(actor: User, approval_request: ApprovalRequest, request: HttpRequest | None) -> None:
    lead = approval_request.lead
    assert lead is not None
    lead.status = LeadStatus.DECLINED
    lead.save(update_fields=["status"])
    audit.record(LeadEvents.DECLINE, actor=actor, request=request, obj=lead)


def _reopen(actor: User, approval_request: ApprovalRequest, request: HttpRequest | None) -> None:
    # A refused proposal sends the lead back to be checked; the refusal stays on record.
    lead = approval_request.lead
    if lead is not None and lead.status == LeadStatus.PROPOSED:
        lead.status = LeadStatus.OPEN
        lead.save(update_fields=["status"])


def _extend(actor: User, approval_request: ApprovalRequest, request: HttpRequest | None) -> None:
    lead = approval_request.lead
    if lead is not None:
        lead.check_extended = True
        lead.save(update_fields=["check_extended"])


# R7.1: the lead's steps and what their approval carries out.
APPROVAL_STEPS = (
    approvals.ApprovalStep(
        "filing", gettext_lazy("Filing (立案)"), on_approved=_file, on_rejected=_reopen
    ),
    approvals.ApprovalStep(
        "decline_filing",
        gettext_lazy("Not filing (不予立案)"),
        on_approved=_decline,
        on_rejected=_reopen,
    ),
    approvals.ApprovalStep(
        "lead_extension", gettext_lazy("Extension of the lead check"), on_approved=_extend
    ),
)
