"""Leads 线索 and the filing decision 立案 / 不予立案, through the actions
of ``liuhen.cases.actions.filing`` that the lead screens use. Both proposals go to approval; the
approvals endpoints sign them, and an approved filing opens the case.

A lead the caller may not see is answered 404, exactly like one that does not exist.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from liuhen.accounts.models import User
from liuhen.api.lookups import aware, username, users_named
from liuhen.api.pagination import Pagination
from liuhen.api.routers.approvals import ApprovalRequestOut, with_approvals
from liuhen.api.schemas import ERRORS, ERRORS_404
from liuhen.cases import leads
from liuhen.cases.actions.filing import decline_filing, propose_filing, record_lead
from liuhen.cases.http import AuthenticatedRequest
from liuhen.cases.models import ApprovalRequest, Lead, LeadSource, LeadStatus
from liuhen.cases.perms import LeadPerms
from liuhen.core import access
from liuhen.subjects.models import Subject

router = Router(tags=["leads"])


class LeadOut(Schema):
    id: int
    source: str = Field(description="inspection, complaint, referral, transfer or other")
    source_label: str
    summary: str
    received_at: dt.datetime
    violation_date: dt.date | None = Field(description="date of the act (limitation period)")
    unit_id: int
    recorded_by: str = Field(description="username")
    subject_id: int | None
    status: str = Field(description="open, proposed, filed or declined")
    status_label: str
    check_extended: bool
    check_due: dt.date = Field(description="end of the lead check period (15 days, +15)")
    check_warning: str = Field(description="set when the due date lacks holiday data")
    case_id: int | None = Field(description="the case opened when filing was approved")

    @staticmethod
    def resolve_source_label(lead: Lead) -> str:
        return str(LeadSource(lead.source).label)

    @staticmethod
    def resolve_recorded_by(lead: Lead) -> str:
        return username(lead.recorded_by)

    @staticmethod
    def resolve_status_label(lead: Lead) -> str:
        return str(LeadStatus(lead.status).label)

    @staticmethod
    def resolve_check_due(lead: Lead) -> dt.date:
        return leads.check_deadline(lead).due

    @staticmethod
    def resolve_check_warning(lead: Lead) -> str:
        return str(leads.check_deadline(lead).warning)


class LeadDetailOut(LeadOut):
    limitation_warnings: list[str] = Field(description="Art. 36: the act may be time-barred")
    approval_requests: list[ApprovalRequestOut]

    @staticmethod
    def resolve_limitation_warnings(lead: Lead) -> list[str]:
        return leads.limitation_warnings(lead.violation_date)

    @staticmethod
    def resolve_approval_requests(lead: Lead) -> list[ApprovalRequest]:
        return list(with_approvals(lead.approval_requests.order_by("-requested_at", "-id")))


class LeadIn(Schema):
    source: LeadSource
    summary: str = Field("", description="what was found or reported (required)")
    received_at: dt.datetime | None = Field(None, description="default: now")
    violation_date: dt.date | None = None
    subject_id: int | None = Field(None, description="the enforcement subject, if known")


class FilingRequestIn(Schema):
    title: str = Field("", description="the case title (required)")
    field: str = Field("", description="执法领域 for the case number, e.g. 农药 (required)")
    officers: list[str] = Field(
        default_factory=list, description="usernames of the officers to assign (you are added)"
    )
    note: str = ""


class FilingRequestOut(ApprovalRequestOut):
    limitation_warnings: list[str] = Field(description="Art. 36: shown at filing")


class NotFilingRequestIn(Schema):
    note: str = Field("", description="the reason for not filing (required)")


def _visible_lead(request: AuthenticatedRequest, lead_id: int, action: str) -> Lead:
    return access.get_visible_or_404(
        request.user,
        Lead.objects.select_related("recorded_by"),
        action=action,
        request=request,
        pk=lead_id,
    )


@router.get("/leads", response={200: list[LeadOut], **ERRORS}, summary="Leads I may see")
@paginate(Pagination)
def list_leads(request: AuthenticatedRequest) -> QuerySet[Any]:
    """Newest first: one's own unit's; bureau-wide for the agency head, legal reviewers,
    supervisors and archivists. Administrators are refused (三员, R21.2)."""
    access.require(request.user, LeadPerms.LIST, request=request)
    return access.visible(
        request.user, Lead.objects.select_related("recorded_by").order_by("-received_at", "-id")
    )


@router.post("/leads", response={201: LeadDetailOut, **ERRORS}, summary="Record a lead")
def create_lead(request: AuthenticatedRequest, payload: LeadIn) -> Status:
    """For the caller's own unit (officers and unit heads)."""
    actor = request.user
    unit = actor.unit
    # Refused before the body is looked at: a subject id must not be probed either.
    access.require(actor, LeadPerms.CREATE, unit, request=request)
    subject = None
    if payload.subject_id is not None:
        subject = access.visible(actor, Subject.objects.all()).filter(pk=payload.subject_id).first()
        if subject is None:
            raise ValidationError({"subject_id": [_("Unknown party.")]})
    lead = record_lead(
        actor,
        source=payload.source,
        summary=payload.summary,
        unit=unit,  # type: ignore[arg-type]  # allowed above, so the caller has a unit
        received_at=aware(payload.received_at) if payload.received_at else None,
        violation_date=payload.violation_date,
        subject=subject,
        request=request,
    )
    return Status(201, lead)


@router.get("/leads/{lead_id}", response={200: LeadDetailOut, **ERRORS_404}, summary="One lead")
def get_lead(request: AuthenticatedRequest, lead_id: int) -> Lead:
    return _visible_lead(request, lead_id, LeadPerms.VIEW)


@router.post(
    "/leads/{lead_id}/filing-request",
    response={201: FilingRequestOut, **ERRORS_404},
    summary="Propose filing 立案: the proposal goes to approval",
)
def request_filing(request: AuthenticatedRequest, lead_id: int, payload: FilingRequestIn) -> Status:
    """When the chain approves, the case is opened in the investigation stage with the
    proposed title, field and officers. Officers are named among your unit's staff."""
    # Refused before the names are looked at: usernames are not probed.
    lead = _visible_lead(request, lead_id, LeadPerms.PROPOSE)
    actor = request.user
    officers = users_named(
        payload.officers,
        access.visible(actor, User.objects.all()),
        field="officers",
        unknown_message=_("Unknown officer: %(name)s"),
    )
    item, warnings = propose_filing(
        actor,
        lead,
        title=payload.title,
        field=payload.field,
        officers=officers,
        note=payload.note,
        request=request,
    )
    item.limitation_warnings = warnings  # type: ignore[attr-defined]
    return Status(201, item)


@router.post(
    "/leads/{lead_id}/not-filing-request",
    response={201: ApprovalRequestOut, **ERRORS_404},
    summary="Propose not filing 不予立案, with the reason: the proposal goes to approval",
)
def request_not_filing(
    request: AuthenticatedRequest, lead_id: int, payload: NotFilingRequestIn
) -> Status:
    lead = _visible_lead(request, lead_id, LeadPerms.VIEW)
    return Status(201, decline_filing(request.user, lead, note=payload.note, request=request))
