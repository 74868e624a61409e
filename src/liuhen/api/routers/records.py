"""GET the records a case holds beyond its workflow: issued documents with their files'
digests, service records, payment notices and where each stands (R20.1) — what a terminal or
the provincial platform reads, under the same access policy as the pages. Opening one
document is an audited read, as on its page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from liuhen.api.lookups import display_name, username
from liuhen.api.pagination import Pagination
from liuhen.api.schemas import ERRORS_404
from liuhen.cases.http import AuthenticatedRequest
from liuhen.cases.models import Case, Decision
from liuhen.cases.perms import CasePerms
from liuhen.core import access
from liuhen.delivery.models import ServiceRecord
from liuhen.delivery.payment import status as payment_status
from liuhen.documents.actions import reading
from liuhen.documents.models import DocumentFile, IssuedDocument
from liuhen.documents.perms import DocumentPerms

router = Router(tags=["documents, service and payments"])


class FileOut(Schema):
    purpose: str = Field(description="e.g. issued, signed, sealed, scan")
    sha256: str
    size: int = Field(description="bytes")
    content_type: str
    pages: int
    sealed: bool

    @staticmethod
    def resolve_sha256(file: DocumentFile) -> str:
        return file.blob_id

    @staticmethod
    def resolve_size(file: DocumentFile) -> int:
        return file.blob.size


class IssuedOut(Schema):
    id: int
    case_id: int
    form_code: str
    title: str
    number: str = Field(description="文号; empty for a form without one")
    version: int
    origin: str = Field(description="issued in the system, or a paper record scanned in")
    served: bool = Field(description="a form served on the party")
    needs_signature: bool
    issued_at: dt.datetime
    issued_by: str = Field(description="username")
    issued_by_name: str
    supersedes_id: int | None
    corrects_id: int | None
    files: list[FileOut]

    @staticmethod
    def resolve_issued_by(issued: IssuedDocument) -> str:
        return username(issued.issued_by)

    @staticmethod
    def resolve_issued_by_name(issued: IssuedDocument) -> str:
        return display_name(issued.issued_by)

    @staticmethod
    def resolve_files(issued: IssuedDocument) -> list[DocumentFile]:
        return sorted(issued.files.all(), key=lambda file: file.pk)


class ServiceOut(Schema):
    id: int
    case_id: int
    issued_id: int = Field(description="the document served")
    mode: str
    mode_label: str
    channel: str
    recipient: str
    address: str
    served_at: dt.datetime
    served_on: dt.date | None = Field(description="the day service takes effect")
    recorded_at: dt.datetime
    recorded_by: str = Field(description="username")

    @staticmethod
    def resolve_mode_label(record: ServiceRecord) -> str:
        return str(record.get_mode_display())

    @staticmethod
    def resolve_recorded_by(record: ServiceRecord) -> str:
        return username(record.recorded_by)


class PaymentNoticeOut(Schema):
    id: int
    case_id: int
    decision_id: int
    number: str
    amount_fen: int
    state: str = Field(description="paid, unpaid, overdue or replaced")
    state_label: str
    due_on: dt.date | None = Field(description="null until the decision is served")
    late_days: int
    surcharge_fen: int = Field(description="加处罚款 owed today")
    paid_fen: int
    outstanding_fen: int
    created_at: dt.datetime


def _case(request: AuthenticatedRequest, case_id: int) -> Case:
    return access.get_visible_or_404(
        request.user, Case, action=CasePerms.VIEW, request=request, pk=case_id
    )


def _documents(request: AuthenticatedRequest) -> QuerySet[IssuedDocument]:
    return access.visible(
        request.user,
        IssuedDocument.objects.select_related("issued_by").prefetch_related("files__blob"),
    )


@router.get(
    "/cases/{case_id}/documents",
    response={200: list[IssuedOut], **ERRORS_404},
    summary="The case's issued documents and paper records, latest first, with file digests",
)
@paginate(Pagination)
def case_documents(request: AuthenticatedRequest, case_id: int) -> QuerySet[Any]:
    case = _case(request, case_id)
    return _documents(request).filter(case=case).order_by("-issued_at", "-id")


@router.get(
    "/documents/{document_id}",
    response={200: IssuedOut, **ERRORS_404},
    summary="One issued document (an audited read, as opening it on its page)",
)
def get_document(request: AuthenticatedRequest, document_id: int) -> IssuedDocument:
    issued = access.get_visible_or_404(
        request.user,
        _documents(request),
        action=DocumentPerms.VIEW,
        request=request,
        pk=document_id,
    )
    reading.view_issued(request.user, issued, request=request)
    return issued


@router.get(
    "/cases/{case_id}/service-records",
    response={200: list[ServiceOut], **ERRORS_404},
    summary="The case's service records 送达记录, latest first",
)
@paginate(Pagination)
def case_service_records(request: AuthenticatedRequest, case_id: int) -> QuerySet[Any]:
    case = _case(request, case_id)
    return access.visible(
        request.user, ServiceRecord.objects.select_related("recorded_by").filter(case=case)
    ).order_by("-served_at", "-id")


@router.get(
    "/cases/{case_id}/payment-notices",
    response={200: list[PaymentNoticeOut], **ERRORS_404},
    summary="The case's payment notices 缴款通知 and where each stands today",
)
def case_payment_notices(request: AuthenticatedRequest, case_id: int) -> list[dict[str, Any]]:
    case = _case(request, case_id)
    decisions = access.visible(request.user, Decision.objects.filter(case=case)).order_by("pk")
    out: list[dict[str, Any]] = []
    for decision in decisions:
        for item in payment_status.statuses(decision):
            notice = item.notice
            out.append(
                {
                    "id": notice.pk,
                    "case_id": case.pk,
                    "decision_id": decision.pk,
                    "number": notice.number,
                    "amount_fen": notice.amount_fen,
                    "state": item.state,
                    "state_label": item.label,
                    "due_on": item.due_on,
                    "late_days": item.late_days,
                    "surcharge_fen": item.surcharge_fen,
                    "paid_fen": item.paid_fen,
                    "outstanding_fen": item.outstanding_fen,
                    "created_at": notice.created_at,
                }
            )
    return out
