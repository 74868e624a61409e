"""A subject's licences and permits (R18.3): entered by hand, or fetched from the
government data exchange and kept as third-party material with its provenance (R20).

Both are changes to the subject's file: whoever may change the subject may do them
(``subject.change``, the officers and unit heads of its cases). A fetched item is kept
once (write-once ``ExchangeRecord``, its file in the blob store); fetching it again adds
nothing, and never touches a licence an officer entered.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from liuhen.accounts.models import User
from liuhen.core import access, audit, blobs
from liuhen.core.audit import Actor
from liuhen.core.models import Outcome
from liuhen.subjects.events import SubjectEvents
from liuhen.subjects.identifiers import (
    normalize_resident_id,
    normalize_uscc,
    validate_resident_id,
    validate_uscc,
)
from liuhen.subjects.licences import exchange
from liuhen.subjects.models import (
    ExchangeRecord,
    Licence,
    LicenceOrigin,
    LicenceStatus,
    LicenceType,
    Subject,
    SubjectKind,
    SubjectLookup,
)
from liuhen.subjects.perms import SubjectPerms

if TYPE_CHECKING:
    from django.http import HttpRequest


def _refuse_merged(subject: Subject) -> None:
    if subject.merged_into_id is not None:
        raise ValidationError(
            _("This record was merged into another one: record licences on that one.")
        )


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def add_licence(
    actor: User,
    subject: Subject,
    *,
    licence_type: LicenceType | None,
    number: str,
    issuer: str = "",
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    scope: str = "",
    status: str = LicenceStatus.VALID,
    request: HttpRequest | None = None,
) -> Licence:
    """Record a licence the officer has seen (the certificate, a register)."""
    access.require(actor, SubjectPerms.CHANGE, subject, request=request)
    _refuse_merged(subject)
    errors: dict[str, list[str]] = {}
    number = " ".join(number.split())
    if licence_type is None or not licence_type.active:
        errors["licence_type"] = [_("Choose the type of licence.")]
    if not number:
        errors["number"] = [_("Enter the licence number.")]
    if status not in LicenceStatus.values:
        errors["status"] = [_("Choose the status of the licence.")]
    if valid_from and valid_until and valid_until < valid_from:
        errors["valid_until"] = [_("The licence cannot end before it begins.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        licence = Licence.objects.create(
            subject=subject,
            licence_type=licence_type,
            number=number[:60],
            issuer=issuer.strip()[:100],
            valid_from=valid_from,
            valid_until=valid_until,
            scope=scope.strip()[:500],
            status=status,
            origin=LicenceOrigin.HAND,
            created_by=actor,
        )
        audit.record(
            SubjectEvents.LICENCE_ADD,
            actor=actor,
            request=request,
            obj=licence,
            details={"subject": subject.pk, "number": licence.number},
        )
    return licence


@dataclass
class FetchResult:
    source: str
    stored: list[Licence] = field(default_factory=list)  # new from this fetch
    already: int = 0  # answered again, kept earlier


def _identifier(subject: Subject) -> dict[str, str]:
    if subject.kind == SubjectKind.UNIT and subject.uscc:
        return {"uscc": subject.uscc}
    if subject.kind == SubjectKind.PERSON and subject.has_resident_id:
        return {"resident_id": subject.resident_id()}
    raise ValidationError(
        _(
            "The data exchange is asked by unified social credit code or resident identity "
            "card number: enter one on the subject first."
        )
    )


def fetch_licences(
    actor: User | Actor, subject: Subject, *, request: HttpRequest | None = None
) -> FetchResult:
    """Ask the exchange for the subject's licences and keep what is new.

    :class:`exchange.ExchangeUnavailable` when the exchange fails or times out: the
    failed attempt is in the log, nothing else changed.
    """
    access.require(actor, SubjectPerms.CHANGE, subject, request=request)
    _refuse_merged(subject)
    identifier = _identifier(subject)
    client = exchange.client()
    try:
        answer = client.licences(**identifier)
    except exchange.ExchangeUnavailable as error:
        with transaction.atomic(durable=True):
            audit.record(
                SubjectEvents.LICENCE_FETCH,
                actor=actor,
                request=request,
                obj=subject,
                outcome=Outcome.FAILED,
                details={"source": client.name, "error": str(error)[:300]},
            )
        raise
    checked = [_checked(item) for item in answer.items]
    # Storing the files is slow work: it runs before the transaction (a blob stored twice
    # is kept once).
    stored_blobs = {
        item.payload_sha256: blobs.store_blob(io.BytesIO(item.item.file_content))
        for item in checked
        if item.item.file_content
    }
    result = FetchResult(source=answer.source)
    with transaction.atomic(durable=True):
        for item in checked:
            if ExchangeRecord.objects.filter(
                subject=subject, source=answer.source, payload_sha256=item.payload_sha256
            ).exists():
                result.already += 1
                continue
            record = ExchangeRecord.objects.create(
                subject=subject,
                source=answer.source,
                query=answer.query[:200],
                fetched_by=_person(actor),
                payload=item.canonical,
                payload_sha256=item.payload_sha256,
                signature=item.item.signature[:200],
                signature_valid=_signature_valid(answer.source, item.item),
                file_name=item.item.file_name[:200],
                blob=stored_blobs.get(item.payload_sha256),
            )
            result.stored.append(_licence_from(record, item.item.payload, actor))
        audit.record(
            SubjectEvents.LICENCE_FETCH,
            actor=actor,
            request=request,
            obj=subject,
            details={
                "source": answer.source,
                "query": answer.query,
                "stored": [licence.exchange_record_id for licence in result.stored],
                "already": result.already,
            },
        )
    return result


@dataclass(frozen=True)
class _CheckedItem:
    item: exchange.ExchangeItem
    canonical: str
    payload_sha256: str


def _checked(item: exchange.ExchangeItem) -> _CheckedItem:
    """The item with its digest; a file that is not the one the payload names is refused."""
    named = str(item.payload.get("file_sha256") or "")
    if item.file_content and named and hashlib.sha256(item.file_content).hexdigest() != named:
        raise exchange.unavailable(_("the electronic file does not match its digest"))
    canonical = item.canonical()
    return _CheckedItem(item, canonical, hashlib.sha256(canonical.encode()).hexdigest())


def _signature_valid(source: str, item: exchange.ExchangeItem) -> bool:
    # Only the simulator's key is known here; a real exchange's signature is kept as given.
    if exchange.is_simulated(source):
        return exchange.verify_simulator_signature(item.payload, item.signature)
    return False


def _person(actor: User | Actor) -> User | None:
    # A fetch by a terminal or the system has no officer to name.
    return actor if isinstance(actor, User) else None


def _licence_from(record: ExchangeRecord, payload: dict[str, Any], actor: User | Actor) -> Licence:
    type_name = str(payload.get("licence_type") or "")[:60]
    status = str(payload.get("status") or "")
    return Licence.objects.create(
        subject=record.subject,
        licence_type=LicenceType.objects.filter(name=type_name).first(),
        type_name=type_name,
        number=str(payload.get("number") or "")[:60],
        issuer=str(payload.get("issuer") or "")[:100],
        valid_from=_date(payload.get("valid_from")),
        valid_until=_date(payload.get("valid_until")),
        scope=str(payload.get("scope") or "")[:500],
        status=status if status in LicenceStatus.values else LicenceStatus.VALID,
        origin=LicenceOrigin.EXCHANGE,
        exchange_record=record,
        created_by=_person(actor),
    )


# --- who is registered: the subject lookup --------------------------------------------


def _lookup_identifier(subject: Subject | None, uscc: str, resident_id: str) -> dict[str, str]:
    if subject is not None:
        return _identifier(subject)
    uscc, resident_id = normalize_uscc(uscc), normalize_resident_id(resident_id)
    if uscc:
        if not validate_uscc(uscc):
            raise ValidationError({"uscc": [_("This is not a valid unified social credit code.")]})
        return {"uscc": uscc}
    if resident_id:
        if not validate_resident_id(resident_id):
            raise ValidationError(
                {"resident_id": [_("This is not a valid resident identity card number.")]}
            )
        return {"resident_id": resident_id}
    raise ValidationError(
        _(
            "The data exchange is asked by unified social credit code or resident identity "
            "card number: enter one first."
        )
    )


def lookup_subject(
    actor: User | Actor,
    *,
    subject: Subject | None = None,
    uscc: str = "",
    resident_id: str = "",
    request: HttpRequest | None = None,
) -> SubjectLookup:
    """Ask the exchange who is registered under a code or number and keep its answer.

    For an existing ``subject`` its own code or number is asked (``subject.change``);
    otherwise the ``uscc`` or ``resident_id`` typed on the new-subject form is
    (``subject.create``). The answer is kept beside the subject, never written into it.
    The same answer asked again is kept once (the earlier row is returned; the log has
    both). :class:`exchange.ExchangeUnavailable` when the exchange fails or times out.
    """
    if subject is not None:
        access.require(actor, SubjectPerms.CHANGE, subject, request=request)
        _refuse_merged(subject)
    else:
        access.require(actor, SubjectPerms.CREATE, request=request)
    identifier = _lookup_identifier(subject, uscc, resident_id)
    client = exchange.client()
    try:
        answer = client.subject(**identifier)
    except exchange.ExchangeUnavailable as error:
        with transaction.atomic(durable=True):
            audit.record(
                SubjectEvents.SUBJECT_LOOKUP,
                actor=actor,
                request=request,
                obj=subject,
                outcome=Outcome.FAILED,
                details={"source": client.name, "error": str(error)[:300]},
            )
        raise
    canonical = answer.canonical()
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    payload = answer.payload or {}
    with transaction.atomic(durable=True):
        kept = SubjectLookup.objects.filter(
            subject=subject, source=answer.source, query=answer.query[:200], payload_sha256=digest
        ).first()
        if kept is None:
            kept = SubjectLookup.objects.create(
                subject=subject,
                source=answer.source,
                query=answer.query[:200],
                fetched_by=_person(actor),
                found=answer.payload is not None,
                payload=canonical,
                payload_sha256=digest,
                signature=answer.signature[:200],
                signature_valid=bool(
                    answer.payload is not None
                    and exchange.is_simulated(answer.source)
                    and exchange.verify_simulator_signature(answer.payload, answer.signature)
                ),
                name=str(payload.get("name") or "")[:200],
                legal_representative=str(payload.get("legal_representative") or "")[:100],
                address=str(payload.get("address") or "")[:300],
            )
        audit.record(
            SubjectEvents.SUBJECT_LOOKUP,
            actor=actor,
            request=request,
            obj=subject if subject is not None else kept,
            details={
                "source": answer.source,
                "query": answer.query,
                "lookup": kept.pk,
                "found": kept.found,
                "payload_sha256": digest,
            },
        )
    return kept
