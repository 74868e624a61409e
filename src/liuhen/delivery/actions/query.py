"""The party's case query (R19.1): with the case number and the query code printed on the
documents served on the party, anyone holding them sees the case's stage, the documents
served on the party with their sealed PDFs, the deadlines that concern the party and the
payment status — nothing about other parties.

A wrong number and a wrong code give the same answer (None), so the page tells nobody
which case numbers exist. Every query is audited, right or wrong, with the visitor's
address. An address gets ``CASE_QUERY_LIMIT_PER_ADDRESS`` queries per
``CASE_QUERY_WINDOW_SECONDS`` and a case number ``CASE_QUERY_LIMIT_PER_CASE`` wrong tries
(both counted in the audit log, so every server process and a restart agree); beyond
either the query is refused and only the first refusal is recorded.
"""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from liuhen.cases import deadlines
from liuhen.cases.models import Case, Stage
from liuhen.core import audit
from liuhen.core.models import AuditEvent
from liuhen.delivery.actions.query_codes import PARTY_FIELD
from liuhen.delivery.events import QueryEvents
from liuhen.delivery.models import PartyQueryCode, ServiceMode, ServiceRecord
from liuhen.delivery.payment import status as payment_status
from liuhen.delivery.payment.gateway import gateway
from liuhen.documents.models import DocumentFile, FilePurpose, IssuedDocument

# The clocks that run against the party: statement and defence, the hearing request, the
# payment of the fine (R19.1).
PARTY_CLOCKS = ("statement", "hearing_request", "payment")
MAX_NUMBER = 60
MAX_CODE = 20
# Compared against when the number is unknown, so both answers take the same time.
_DECOY = "Q" * 10


class TooManyQueries(Exception):
    """This address or this case number is over its limit; ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many queries; retry after {retry_after}s")
        self.retry_after = retry_after


@dataclass(frozen=True)
class ServedDocument:
    pk: int
    title: str
    number: str
    issued_on: dt.date
    served_on: dt.date
    mode: str
    has_pdf: bool


@dataclass(frozen=True)
class PartyDeadline:
    label: str
    citation: str
    due: dt.date
    met_on: dt.date | None
    status: str


@dataclass(frozen=True)
class PaymentLine:
    number: str
    amount_fen: int
    state: str
    paid: bool
    due_on: dt.date | None
    surcharge_fen: int
    outstanding_fen: int
    pay_url: str


@dataclass(frozen=True)
class CaseAnswer:
    number: str
    party_name: str
    stage: str
    closed: bool
    documents: list[ServedDocument]
    deadlines: list[PartyDeadline]
    payments: list[PaymentLine]


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())[:MAX_CODE]


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.CASE_QUERY_WINDOW_SECONDS)


def _record(
    request: HttpRequest | None,
    number: str,
    result: str,
    *,
    case_id: int | None = None,
    event: str = QueryEvents.QUERY,
    **details: Any,
) -> None:
    with transaction.atomic(durable=True):
        audit.record(
            event,
            actor=audit.SYSTEM,
            request=request,
            object_type="cases.case",
            object_id=case_id or "",
            case_id=case_id,
            details={"number": number, "result": result, **details},
        )


def _refuse_beyond_limit(request: HttpRequest | None, number: str) -> None:
    """Raise TooManyQueries when the address or the case number is over its limit,
    recording only the first refusal of the window."""
    since = _window_start()
    recent = AuditEvent.objects.filter(action=QueryEvents.QUERY, time__gte=since)
    window = settings.CASE_QUERY_WINDOW_SECONDS
    if request is not None:
        by_address = recent.filter(ip=audit.client_ip(request)).count()
        if by_address >= settings.CASE_QUERY_LIMIT_PER_ADDRESS:
            if by_address == settings.CASE_QUERY_LIMIT_PER_ADDRESS:
                _record(request, number, "throttled", by="address")
            raise TooManyQueries(window)
    wrong = recent.filter(
        details__number=number, details__result__in=["wrong", "throttled"]
    ).count()
    if wrong >= settings.CASE_QUERY_LIMIT_PER_CASE:
        if wrong == settings.CASE_QUERY_LIMIT_PER_CASE:
            _record(request, number, "throttled", by="case")
        raise TooManyQueries(window)


def _match(number: str, code: str) -> tuple[Case | None, PartyQueryCode | None]:
    """The case and the party whose code ``code`` is, compared in constant time over every
    code of the case; an unknown number is compared against a decoy."""
    case = Case.objects.filter(number=number).first()
    codes = list(PartyQueryCode.objects.filter(case=case)) if case is not None else []
    found = None
    for candidate in codes or [PartyQueryCode(code=_DECOY)]:
        if hmac.compare_digest(candidate.code.encode(), code.encode()) and candidate.pk:
            found = candidate
    return (case, found) if found is not None else (case, None)


def _check(
    number: str, code: str, request: HttpRequest | None
) -> tuple[str, PartyQueryCode | None]:
    number = number.strip()[:MAX_NUMBER]
    _refuse_beyond_limit(request, number)
    case, found = _match(number, normalise_code(code))
    if found is None:
        _record(request, number, "wrong", case_id=case.pk if case is not None else None)
    return number, found


def _served_documents(found: PartyQueryCode) -> list[tuple[IssuedDocument, ServiceRecord]]:
    """The documents served on the party (service took effect), first served first."""
    services = (
        ServiceRecord.objects.filter(case_id=found.case_id, served_on__isnull=False)
        .select_related("issued")
        .order_by("served_at", "id")
    )
    out: dict[int, tuple[IssuedDocument, ServiceRecord]] = {}
    for service in services:
        named = str(service.issued.data.get(PARTY_FIELD, "") or "").strip()
        if named and named != found.party_name:
            continue
        out.setdefault(service.issued_id, (service.issued, service))
    return list(out.values())


def _pdf_of(issued: IssuedDocument) -> DocumentFile | None:
    files = {f.purpose: f for f in issued.files.all()}
    return files.get(FilePurpose.SIGNED) or files.get(FilePurpose.ISSUED)


def _deadlines(case: Case) -> list[PartyDeadline]:
    return [
        PartyDeadline(
            label=str(clock.label),
            citation=clock.citation,
            due=clock.due,
            met_on=clock.met_on,
            status=clock.status,
        )
        for clock in deadlines.clocks_for_case(case)
        if clock.code in PARTY_CLOCKS
    ]


def _payments(case: Case) -> list[PaymentLine]:
    decision = getattr(case, "decision", None)
    if decision is None:
        return []
    return [
        PaymentLine(
            number=s.notice.number,
            amount_fen=s.notice.amount_fen,
            state=s.label,
            paid=s.paid,
            due_on=s.due_on,
            surcharge_fen=s.surcharge_fen,
            outstanding_fen=s.outstanding_fen,
            pay_url=gateway().pay_url(s.notice.number, s.notice.amount_fen),
        )
        for s in payment_status.statuses(decision)
    ]


def query_case(number: str, code: str, *, request: HttpRequest | None = None) -> CaseAnswer | None:
    """What the party with ``code`` may know of the case ``number`` (None: the number or
    the code is wrong — the same answer for both). Audited, right or wrong. Raises
    TooManyQueries over the limits."""
    number, found = _check(number, code, request)
    if found is None:
        return None
    case = found.case
    served = _served_documents(found)
    answer = CaseAnswer(
        number=case.number,
        party_name=found.party_name,
        stage=str(Stage(case.stage).label),
        closed=case.closed_at is not None,
        documents=[
            ServedDocument(
                pk=issued.pk,
                title=issued.title,
                number=issued.number,
                issued_on=timezone.localdate(issued.issued_at),
                served_on=service.served_on or timezone.localdate(service.served_at),
                mode=str(ServiceMode(service.mode).label),
                has_pdf=_pdf_of(issued) is not None,
            )
            for issued, service in served
        ],
        deadlines=_deadlines(case),
        payments=_payments(case),
    )
    _record(
        request,
        number,
        "shown",
        case_id=case.pk,
        party=found.party_name,
        documents=[d.pk for d in answer.documents],
    )
    return answer


def open_served_document(
    number: str, code: str, issued_pk: int, *, request: HttpRequest | None = None
) -> tuple[IssuedDocument, DocumentFile] | None:
    """The sealed PDF of a document served on the party, for download (None: wrong number
    or code, or not a document served on this party). Audited; the limits apply."""
    number, found = _check(number, code, request)
    if found is None:
        return None
    for issued, _service in _served_documents(found):
        if issued.pk == issued_pk:
            pdf = _pdf_of(issued)
            if pdf is None:
                break
            _record(
                request,
                number,
                "downloaded",
                case_id=found.case_id,
                event=QueryEvents.DOWNLOAD,
                party=found.party_name,
                issued=issued.pk,
                sha256=pdf.blob_id,
            )
            return issued, pdf
    _record(
        request,
        number,
        "not_served",
        case_id=found.case_id,
        event=QueryEvents.DOWNLOAD,
        issued=issued_pk,
    )
    return None
