"""The one door for service 送达 (R10.1, R10.2): the party's consent to electronic service,
the service records with their proofs, and the download of a proof — each checked, written
and audited in one transaction.

What each mode must record is data in ``delivery/service/modes.py``; this module decides
what may happen and writes it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.accounts.models import User
from liuhen.cases.actions.frozen import refuse_if_archived
from liuhen.cases.models import Case
from liuhen.core import access, audit
from liuhen.core.blobs import store_blob
from liuhen.delivery.actions import push, query_codes
from liuhen.delivery.events import ServiceEvents
from liuhen.delivery.models import (
    ElectronicChannel,
    ServiceAttachment,
    ServiceConsent,
    ServiceMode,
    ServiceRecord,
)
from liuhen.delivery.perms import ServicePerms
from liuhen.delivery.service import modes
from liuhen.documents.catalog import catalog
from liuhen.documents.models import IssuedDocument
from liuhen.documents.spec import ReceiptRole
from liuhen.media.models import AvRecord

# A tablet's clock may run a little ahead of the server's.
CLOCK_SLACK = dt.timedelta(minutes=5)
AV_ATTACHMENT = "av_record"

Errors = dict[str, list[str]]


def _add(errors: Errors, key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


# --- consent to electronic service ----------------------------------------------------


def record_consent(
    actor: User,
    case: Case,
    *,
    party_name: str,
    channels: Iterable[str],
    consented_on: dt.date | None,
    fax_number: str = "",
    email: str = "",
    address: str = "",
    document: IssuedDocument | None = None,
    request: HttpRequest | None = None,
) -> ServiceConsent:
    """The party's consent to electronic service and its addresses (行政处罚法 Art. 61(2),
    民事诉讼法 Art. 90), usually signed on a 送达地址确认书 (``document``). Every electronic
    channel, the portal's self-download included, needs it."""
    access.require(actor, ServicePerms.RECORD, case, request=request)
    refuse_if_archived(actor, case, "delivery.record_consent", request=request)
    errors: Errors = {}
    party_name, fax_number, email, address = (
        party_name.strip(),
        fax_number.strip(),
        email.strip(),
        address.strip(),
    )
    chosen = [c for c in ElectronicChannel.values if c in set(channels)]
    if not party_name:
        _add(errors, "party_name", _("Enter the party who consented."))
    if not chosen:
        _add(errors, "channels", _("Choose at least one channel the party agreed to."))
    if ElectronicChannel.FAX in chosen and not fax_number:
        _add(errors, "fax_number", _("Enter the fax number the party gave."))
    if ElectronicChannel.EMAIL in chosen and not email:
        _add(errors, "email", _("Enter the e-mail address the party gave."))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            _add(errors, "email", _("Enter a valid e-mail address."))
    if consented_on is None:
        _add(errors, "consented_on", _("Enter the date of the consent."))
    elif consented_on > timezone.localdate():
        _add(errors, "consented_on", _("The date of the consent cannot be in the future."))
    if document is not None and (
        document.case_id != case.pk
        or catalog.rules_of(document).receipt_role != ReceiptRole.ADDRESS_CONFIRMATION
    ):
        _add(errors, "document", _("Choose an address confirmation (送达地址确认书) of this case."))
    if errors or consented_on is None:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        consent = ServiceConsent.objects.create(
            case=case,
            party_name=party_name,
            channels=chosen,
            fax_number=fax_number,
            email=email,
            address=address,
            consented_on=consented_on,
            document=document,
            recorded_by=actor,
        )
        audit.record(
            ServiceEvents.CONSENT,
            actor=actor,
            request=request,
            obj=consent,
            case_id=case.pk,
            details={
                "party": party_name,
                "channels": chosen,
                "consented_on": str(consented_on),
                **({"document": document.pk} if document is not None else {}),
            },
        )
    return consent


def _consent_for(case: Case, channel: str) -> ServiceConsent | None:
    """The newest consent of ``case`` that covers ``channel``."""
    for consent in ServiceConsent.objects.filter(case=case).order_by("-consented_on", "-id"):
        if channel in consent.channels:
            return consent
    return None


# --- service records --------------------------------------------------------------------


def _document_errors(issued: IssuedDocument) -> Errors:
    errors: Errors = {}
    if not issued.served:
        _add(errors, "issued", _("Only a document served on the party can be served."))
    elif IssuedDocument.objects.filter(supersedes=issued).exists():
        _add(
            errors,
            "issued",
            _("This document was replaced by a new version: serve the new version."),
        )
    return errors


def _upload_errors(uploads: Sequence[modes.Upload]) -> Errors:
    errors: Errors = {}
    for kind, name, _content_type, content in uploads:
        if kind not in modes.ATTACHMENT_KINDS:
            _add(errors, "attachments", _("Unknown kind of proof: %(kind)s.") % {"kind": kind})
        elif not content:
            _add(errors, kind, _("The file %(name)s is empty.") % {"name": name})
        elif len(content) > modes.MAX_ATTACHMENT_BYTES:
            _add(errors, kind, _("The file %(name)s is larger than 100 MB.") % {"name": name})
    return errors


def _av_records(actor: User, ids: Iterable[int]) -> tuple[list[AvRecord], Errors]:
    wanted = {int(pk) for pk in ids}
    if not wanted:
        return [], {}
    found = list(access.visible(actor, AvRecord.objects.filter(pk__in=wanted)).order_by("pk"))
    if len(found) != len(wanted):
        return found, {"av_records": [_("An AV record chosen is not available to you.")]}
    return found, {}


def record_service(
    actor: User,
    issued: IssuedDocument,
    *,
    mode: str,
    channel: str = "",
    recipient: str,
    address: str = "",
    served_at: dt.datetime | None,
    details: Mapping[str, Any] | None = None,
    attachments: Sequence[modes.Upload] = (),
    av_record_ids: Iterable[int] = (),
    receipt: IssuedDocument | None = None,
    consent: ServiceConsent | None = None,
    request: HttpRequest | None = None,
) -> ServiceRecord:
    """R10.1: record how ``issued`` was served, in one of the six modes with the mode's
    fields and proofs (``delivery/modes.py``). Write-once.

    Electronic service needs the party's consent for every channel (行政处罚法 Art. 61(2),
    民事诉讼法 Art. 90); without an explicit ``consent`` the case's newest consent covering
    the channel is used. An enforcement decision is never served electronically
    (regulation Art. 10(四)). ``served_on`` follows from the mode: the receipt's date, nothing
    for a post returned, 30 days after publication for a public notice.
    """
    access.require(actor, ServicePerms.RECORD, issued, request=request)
    refuse_if_archived(actor, issued.case, "delivery.record_service", request=request)
    rules = modes.MODES.get(mode)
    if rules is None:
        raise ValidationError({"mode": [_("Choose the mode of service.")]})
    channel = channel.strip() if mode == ServiceMode.ELECTRONIC else ""
    errors = _document_errors(issued)
    if served_at is not None and served_at > timezone.now() + CLOCK_SLACK:
        _add(errors, "served_at", _("The time of service cannot be in the future."))
    cleaned, detail_errors = modes.clean_details(rules, channel, details or {})
    errors.update(detail_errors)
    errors.update(_upload_errors(attachments))
    records, av_errors = _av_records(actor, av_record_ids)
    errors.update(av_errors)
    if consent is None and channel in modes.CONSENT_CHANNELS:
        consent = _consent_for(issued.case, channel)
    if consent is not None and consent.case_id != issued.case_id:
        _add(errors, "consent", _("Choose a consent of this case."))
    inp = modes.ServiceInput(
        issued=issued,
        mode=mode,
        channel=channel,
        recipient=recipient.strip(),
        address=address.strip(),
        served_at=served_at,
        details=cleaned,
        attachment_kinds=[kind for kind, *_rest in attachments],
        av_kinds=[record.kind for record in records],
        receipt=receipt,
        consent=consent if channel else None,
    )
    for key, messages in modes.mode_errors(inp).items():
        if key not in errors:  # one message per field: the first problem found
            errors[key] = messages
    if receipt is not None and "receipt" not in errors and receipt.serves_id != issued.pk:
        _add(
            errors,
            "receipt",
            _(
                "This service receipt was issued for another document: choose a receipt of "
                "%(document)s, or draft one for it on the service form."
            )
            % {"document": str(issued)},
        )
    if errors or served_at is None:
        raise ValidationError(errors)
    effective = modes.served_on(inp)
    if mode == ServiceMode.PUBLIC_NOTICE:
        cleaned["published_on"] = timezone.localdate(served_at).isoformat()
    with transaction.atomic(durable=True):
        # One recorder at a time per document: the "replaced" check above stays true.
        IssuedDocument.objects.select_for_update().filter(pk=issued.pk).values("pk").get()
        if _document_errors(issued):
            raise ValidationError(_document_errors(issued))
        record = ServiceRecord.objects.create(
            issued=issued,
            case_id=issued.case_id,
            mode=mode,
            channel=channel,
            recipient=inp.recipient,
            address=inp.address,
            served_at=served_at,
            served_on=effective,
            details=cleaned,
            consent=inp.consent,
            receipt=receipt,
            recorded_by=actor,
        )
        stored = []
        for kind, name, content_type, content in attachments:
            # Stored inside the transaction: a proof's Blob row goes with its record, or
            # neither does (R18.4).
            blob = store_blob(io.BytesIO(content))
            ServiceAttachment.objects.create(
                service=record,
                kind=kind,
                blob=blob,
                name=(name or kind)[:200],
                content_type=(content_type or "application/octet-stream")[:100],
            )
            stored.append({"kind": kind, "name": name, "sha256": blob.sha256})
        ServiceAttachment.objects.bulk_create(
            ServiceAttachment(service=record, kind=AV_ATTACHMENT, av_record=av_record)
            for av_record in records
        )
        audit.record(
            ServiceEvents.RECORD,
            actor=actor,
            request=request,
            obj=record,
            case_id=issued.case_id,
            details={
                "issued": issued.pk,
                "number": issued.number,
                "mode": mode,
                **({"channel": channel} if channel else {}),
                "served_on": effective.isoformat() if effective else None,
                "attachments": stored,
                "av_records": [r.pk for r in records],
                **({"receipt": receipt.pk} if receipt is not None else {}),
                **({"consent": inp.consent.pk} if inp.consent is not None else {}),
            },
        )
        if effective is not None:
            # R19.1: the party served has a query code (a document issued before the
            # codes existed gets it now) and is told, once committed, that it exists.
            query_codes.QueryCode().at_service(issued.case, dict(issued.data))
            push.after_service(record)
    return record


def open_proof(
    actor: User,
    record: ServiceRecord,
    attachment: ServiceAttachment,
    *,
    request: HttpRequest | None = None,
) -> ServiceAttachment:
    """A proof of service for download: a read of the case's data, allowed by the service
    record's view permission and audited."""
    access.require(actor, ServicePerms.VIEW, record, request=request)
    if attachment.service_id != record.pk or attachment.blob_id is None:
        raise ServiceAttachment.DoesNotExist(f"no stored proof {attachment.pk}")
    with transaction.atomic(durable=True):
        audit.record(
            ServiceEvents.VIEW,
            actor=actor,
            request=request,
            obj=record,
            details={
                "attachment": attachment.pk,
                "kind": attachment.kind,
                "sha256": attachment.blob_id,
            },
        )
    return attachment
