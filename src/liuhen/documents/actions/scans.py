"""Paper records scanned in (R3.2): a PDF, JPEG or PNG kept as a text record of its form,
stored write-once with SHA-256 and SM3 like any issued document."""

from __future__ import annotations

import datetime as dt
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from liuhen.accounts.models import User
from liuhen.cases.actions.frozen import refuse_if_archived
from liuhen.cases.models import Case
from liuhen.core import access, audit
from liuhen.documents.actions import guards
from liuhen.documents.events import DocumentEvents
from liuhen.documents.files import store_bytes
from liuhen.documents.models import DocumentFile, FilePurpose, IssuedDocument, Origin
from liuhen.documents.perms import DocumentPerms
from liuhen.documents.spec import FormSpec

SCAN_TYPES = {"application/pdf": b"%PDF-", "image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG"}
SCAN_MAX_BYTES = 100 * 1024 * 1024


def upload_scan(
    actor: User,
    case: Case,
    form_code: str,
    *,
    content: bytes,
    content_type: str,
    number: str = "",
    issued_on: dt.date | None = None,
    note: str = "",
    request: HttpRequest | None = None,
) -> IssuedDocument:
    """R3.2: a paper record scanned in (PDF, JPEG or PNG) kept as a text record of its form,
    stored write-once with SHA-256 and SM3 like any issued document."""
    access.require(actor, DocumentPerms.SCAN, case, request=request)
    refuse_if_archived(actor, case, "documents.upload_scan", request=request)
    spec = guards.form(form_code)
    magic = SCAN_TYPES.get(content_type)
    if magic is None or not content.startswith(magic):
        raise ValidationError(
            {"file": [_("A scan must be a PDF, JPEG or PNG file.")]}, code="invalid"
        )
    if len(content) > SCAN_MAX_BYTES:
        raise ValidationError({"file": [_("The scan is larger than 100 MB.")]}, code="too_big")
    pages = _scan_pages(content, content_type)
    with transaction.atomic(durable=True):
        issued, file = _store_scan(
            actor,
            case,
            spec,
            content=content,
            content_type=content_type,
            pages=pages,
            number=number.strip(),
            issued_on=issued_on,
            note=note.strip(),
        )
        audit.record(
            DocumentEvents.SCAN,
            actor=actor,
            request=request,
            obj=issued,
            case_id=case.pk,
            details={
                "form": spec.code,
                "number": issued.number,
                "sha256": file.blob_id,
                "origin": Origin.PAPER,
            },
        )
    return issued


def _scan_pages(content: bytes, content_type: str) -> int:
    if content_type != "application/pdf":
        return 1
    # pypdf loads with the first scanned PDF, not with every web process.
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        return len(PdfReader(io.BytesIO(content)).pages)
    except (PdfReadError, ValueError, KeyError) as exc:
        raise ValidationError(
            {"file": [_("The PDF could not be read: %(error)s") % {"error": exc}]}
        ) from exc


def _store_scan(
    actor: User,
    case: Case,
    spec: FormSpec,
    *,
    content: bytes,
    content_type: str,
    pages: int,
    number: str,
    issued_on: dt.date | None,
    note: str,
) -> tuple[IssuedDocument, DocumentFile]:
    blob = store_bytes(content)
    data = {"paper_issued_on": issued_on.isoformat() if issued_on else "", "note": note}
    issued = IssuedDocument.objects.create(
        case=case,
        unit=case.unit,
        form_code=spec.code,
        title=spec.title,
        number=number,
        data=data,
        origin=Origin.PAPER,
        # A paper record carries its signatures (or refusal) on paper already.
        needs_signature=False,
        served=spec.served,
        issued_by=actor,
    )
    file = DocumentFile.objects.create(
        issued=issued,
        purpose=FilePurpose.SCAN,
        blob=blob,
        content_type=content_type,
        pages=pages,
        created_by=actor,
    )
    return issued, file
