"""Enforcement subjects (R18.3): list and search, one subject, enter a subject.

Resident id numbers are masked in lists; a single subject shows the full number to
those allowed ``subject.view_identifier``, and that showing is logged (R18.5). A subject
the caller may not see is answered 404, exactly as one that does not exist.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from liuhen.api import errors
from liuhen.api.auth import caller
from liuhen.api.pagination import Pagination
from liuhen.api.schemas import ERRORS, ERRORS_404, ErrorOut
from liuhen.cases.models import Case
from liuhen.core import access
from liuhen.subjects import actions, queries
from liuhen.subjects import sections as subject_sections
from liuhen.subjects.licences import actions as licence_actions
from liuhen.subjects.licences import exchange
from liuhen.subjects.licences.queries import licences_of
from liuhen.subjects.models import Licence, Subject, SubjectKind, SubjectLookup
from liuhen.subjects.perms import SubjectPerms

router = Router(tags=["subjects"])


class SubjectOut(Schema):
    id: int
    kind: str = Field(description="unit, person, vehicle or project")
    name: str
    address: str
    phone: str
    legal_representative: str
    uscc: str = Field(description="统一社会信用代码 (units)")
    resident_id: str = Field(description="居民身份证号码 (persons), masked unless allowed")
    resident_id_masked: bool
    plate: str = Field(description="plate or vessel registration number (vehicles)")
    project_code: str
    confidentiality: str
    created_at: dt.datetime
    merged_into_id: int | None

    @staticmethod
    def resolve_resident_id(subject: Subject) -> str:
        return getattr(subject, "revealed_resident_id", None) or subject.resident_id_masked()

    @staticmethod
    def resolve_resident_id_masked(subject: Subject) -> bool:
        return subject.has_resident_id and not getattr(subject, "revealed_resident_id", None)


class SubjectCaseOut(Schema):
    id: int
    number: str
    role: str


class SubjectDetailOut(SubjectOut):
    cases: list[SubjectCaseOut] = Field(description="the cases it is part of that you may see")


class SubjectIn(Schema):
    kind: SubjectKind
    name: str = Field(min_length=1, max_length=200)
    address: str = Field("", max_length=300)
    phone: str = Field("", max_length=40)
    legal_representative: str = Field("", max_length=100)
    uscc: str = Field("", max_length=30)
    resident_id: str = Field("", max_length=30)
    plate: str = Field("", max_length=40)
    project_code: str = Field("", max_length=60)
    confidentiality: str = "ordinary"


def _visible_subjects(request: HttpRequest) -> QuerySet[Subject]:
    return access.visible(request.user, Subject.objects.order_by("-created_at", "-id"))


@router.get("/subjects", response={200: list[SubjectOut], **ERRORS}, summary="List subjects")
@paginate(Pagination)
def list_subjects(
    request: HttpRequest,
    q: str = Query("", description="name, credit code, plate, project code or full ID number"),
    kind: str = Query("", description="unit, person, vehicle or project; empty: all"),
) -> QuerySet[Any]:
    subjects = queries.search(_visible_subjects(request).filter(merged_into__isnull=True), q)
    return queries.of_kind(subjects, kind)


@router.get(
    "/subjects/{subject_id}", response={200: SubjectDetailOut, **ERRORS_404}, summary="One subject"
)
def get_subject(request: HttpRequest, subject_id: int) -> Subject:
    subject = access.get_visible_or_404(
        request.user, Subject, action=SubjectPerms.VIEW, request=request, pk=subject_id
    )
    if subject.has_resident_id and access.can(request.user, SubjectPerms.VIEW_IDENTIFIER, subject):
        subject.revealed_resident_id = actions.reveal_identifier(  # type: ignore[attr-defined]
            caller(request), subject, request=request
        )
    cases = access.visible(request.user, Case.objects.all())
    subject.cases = [  # type: ignore[attr-defined]
        {"id": link.case_id, "number": link.case.number, "role": link.role}
        for link in subject.case_links.filter(case__in=cases).select_related("case")
    ]
    return subject


@router.post(
    "/subjects",
    response={201: SubjectDetailOut, 409: ErrorOut, **ERRORS},
    summary="Enter a subject (an identifier already entered is refused with 409)",
)
def create_subject(request: HttpRequest, payload: SubjectIn) -> Status | HttpResponse:
    values = payload.dict()
    try:
        subject = actions.create_subject(
            caller(request),
            kind=values.pop("kind"),
            name=values.pop("name"),
            request=request,
            **values,
        )
    except actions.DuplicateSubject as exc:
        visible = access.can(request.user, SubjectPerms.VIEW, exc.existing)
        return errors.error_response(
            409,
            "conflict",
            " ".join(exc.messages),
            {"existing_id": exc.existing.pk if visible else None},
        )
    subject.cases = []  # type: ignore[attr-defined]
    return Status(201, subject)


class FileEntryOut(Schema):
    at: dt.datetime | None
    title: str
    detail: str
    url: str = Field(description="the page of the record")
    case: str = Field(description="the case number it belongs to, if any")
    facts: dict[str, Any] = Field(description="the section's own columns")


class FileSectionOut(Schema):
    key: str = Field(description="cases, activities, av, documents, services, payments …")
    title: str
    count: int = Field(description="how many you may see in all")
    page: int
    pages: int
    entries: list[FileEntryOut]


class SubjectFileOut(Schema):
    id: int
    name: str
    kind: str
    owner_id: int | None
    owned_ids: list[int] = Field(description="vehicles, vessels and projects it owns")
    sections: list[FileSectionOut]


@router.get(
    "/subjects/{subject_id}/file",
    response={200: SubjectFileOut, **ERRORS_404},
    summary="A subject's file: every section you may see, a page of each",
)
def get_subject_file(
    request: HttpRequest,
    subject_id: int,
    section: str = Query("", description="one section's key; empty: all"),
    page: int = Query(1, ge=1, le=100000, description="the page of each section"),
) -> dict[str, Any]:
    subject = access.get_visible_or_404(
        request.user, Subject, action=SubjectPerms.VIEW, request=request, pk=subject_id
    )
    shown = []
    for found in subject_sections.registered():
        if found.rows is None or found.entry is None or section not in ("", found.key):
            continue
        rows = subject_sections.section_page(request.user, subject, found, page)
        shown.append(
            {
                "key": found.key,
                "title": str(found.title),
                "count": rows.paginator.count,
                "page": rows.number,
                "pages": rows.paginator.num_pages,
                "entries": [found.entry(row) for row in rows.object_list],
            }
        )
    owned = _visible_subjects(request).filter(owner=subject, merged_into__isnull=True)
    # An owner the caller may not read is not named.
    owner = _visible_subjects(request).filter(pk=subject.owner_id or 0).first()
    return {
        "id": subject.pk,
        "name": subject.name,
        "kind": subject.kind,
        "owner_id": owner.pk if owner else None,
        "owned_ids": list(owned.values_list("pk", flat=True)),
        "sections": shown,
    }


class LicenceOut(Schema):
    id: int
    licence_type: str = Field(description="e.g. 农药经营许可证")
    number: str
    issuer: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    scope: str
    status: str = Field(description="valid, suspended, revoked, expired or cancelled")
    origin: str = Field(description="hand (entered by an officer) or exchange")
    source: str | None = Field(description="the data exchange that answered (origin exchange)")
    fetched_at: dt.datetime | None
    file_sha256: str | None = Field(description="SHA-256 of the electronic file kept")
    signature: str = Field(description="the exchange's signature over the item, as given")
    signature_verified: bool

    @staticmethod
    def resolve_licence_type(licence: Licence) -> str:
        return licence.type_label

    @staticmethod
    def resolve_source(licence: Licence) -> str | None:
        record = licence.exchange_record
        return record.source if record else None

    @staticmethod
    def resolve_fetched_at(licence: Licence) -> dt.datetime | None:
        record = licence.exchange_record
        return record.fetched_at if record else None

    @staticmethod
    def resolve_file_sha256(licence: Licence) -> str | None:
        record = licence.exchange_record
        return record.blob_id if record else None

    @staticmethod
    def resolve_signature(licence: Licence) -> str:
        record = licence.exchange_record
        return record.signature if record else ""

    @staticmethod
    def resolve_signature_verified(licence: Licence) -> bool:
        record = licence.exchange_record
        return bool(record and record.signature_valid)


class LicenceFetchOut(Schema):
    source: str
    stored: int = Field(description="licences new from this fetch")
    already: int = Field(description="items answered again that were kept before")
    licences: list[LicenceOut] = Field(description="all the subject's licences")


@router.get(
    "/subjects/{subject_id}/licences",
    response={200: list[LicenceOut], **ERRORS_404},
    summary="A subject's licences and permits",
)
def list_licences(request: HttpRequest, subject_id: int) -> list[Licence]:
    subject = access.get_visible_or_404(
        request.user, Subject, action=SubjectPerms.VIEW, request=request, pk=subject_id
    )
    return list(licences_of(subject))


@router.post(
    "/subjects/{subject_id}/licences/fetch",
    response={200: LicenceFetchOut, 503: ErrorOut, **ERRORS_404},
    summary="Fetch a subject's licences from the government data exchange",
)
def fetch_licences(request: HttpRequest, subject_id: int) -> dict[str, Any] | HttpResponse:
    subject = access.get_visible_or_404(
        request.user, Subject, action=SubjectPerms.CHANGE, request=request, pk=subject_id
    )
    try:
        result = licence_actions.fetch_licences(caller(request), subject, request=request)
    except exchange.ExchangeUnavailable as error:
        return errors.error_response(503, "exchange_unavailable", str(error))
    return {
        "source": result.source,
        "stored": len(result.stored),
        "already": result.already,
        "licences": list(licences_of(subject)),
    }


class SubjectLookupOut(Schema):
    id: int
    subject_id: int | None = Field(description="empty when asked for a subject not entered yet")
    found: bool = Field(description="whether the exchange has anybody registered under it")
    name: str = Field(description="the registered name, as the exchange gives it")
    legal_representative: str
    address: str = Field(description="the registered address")
    source: str = Field(description="the data exchange that answered")
    query: str = Field(description="what was asked (a resident id by its last four digits)")
    fetched_at: dt.datetime
    payload_sha256: str = Field(description="SHA-256 of the answer as received")
    signature: str = Field(description="the exchange's signature over the answer, as given")
    signature_verified: bool

    @staticmethod
    def resolve_signature_verified(lookup: SubjectLookup) -> bool:
        return lookup.signature_valid


class SubjectLookupIn(Schema):
    uscc: str = Field("", max_length=30, description="unified social credit code")
    resident_id: str = Field("", max_length=30, description="resident identity card number")


@router.post(
    "/subjects/{subject_id}/exchange-lookup",
    response={200: SubjectLookupOut, 503: ErrorOut, **ERRORS_404},
    summary="Ask the data exchange who is registered under a subject's code or number",
)
def lookup_subject(request: HttpRequest, subject_id: int) -> Any:
    subject = access.get_visible_or_404(
        request.user, Subject, action=SubjectPerms.CHANGE, request=request, pk=subject_id
    )
    try:
        return licence_actions.lookup_subject(caller(request), subject=subject, request=request)
    except exchange.ExchangeUnavailable as error:
        return errors.error_response(503, "exchange_unavailable", str(error))


@router.post(
    "/subject-lookups",
    response={200: SubjectLookupOut, 503: ErrorOut, **ERRORS},
    summary="Ask the data exchange who is registered under a code or number, before entering",
)
def lookup_identifier(request: HttpRequest, payload: SubjectLookupIn) -> Any:
    try:
        return licence_actions.lookup_subject(
            caller(request), uscc=payload.uscc, resident_id=payload.resident_id, request=request
        )
    except exchange.ExchangeUnavailable as error:
        return errors.error_response(503, "exchange_unavailable", str(error))
