"""Issuing a document (R6.1, R18.2): the draft's values checked complete, its 文号, the PDF
rendered and sealed when served, stored with SHA-256 and SM3 — write-once from then on.
An attempt to change what was issued is refused and audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.accounts.models import User
from liuhen.cases.actions.frozen import refuse_if_archived
from liuhen.cases.models import ApprovalRequest
from liuhen.core import access, audit
from liuhen.core.audit import Actor
from liuhen.core.models import Outcome
from liuhen.documents.actions import guards
from liuhen.documents.catalog import catalog, values
from liuhen.documents.events import DocumentEvents
from liuhen.documents.files import current_file, store_bytes
from liuhen.documents.issuing import numbers, periods, rendering, versions
from liuhen.documents.issuing.approvals import approved_request
from liuhen.documents.models import (
    Document,
    DocumentFile,
    DocumentStatus,
    FilePurpose,
    IssuedDocument,
    new_verify_code,
)
from liuhen.documents.perms import DocumentPerms
from liuhen.documents.spec import FormSpec


def issue(actor: User, document: Document, *, request: HttpRequest | None = None) -> IssuedDocument:
    """Issue a draft: required fields checked, the 文号 allocated, the PDF rendered (sealed
    when served, R18.2) and stored with SHA-256 and SM3. Nothing issued changes again."""
    access.require(actor, DocumentPerms.ISSUE, document, request=request)
    refuse_if_archived(actor, document.case, "documents.issue", request=request)
    spec = guards.form(document.form_code)
    guards.require_hearing_variant(document.case, spec)
    guards.require_prior_approval(document.case, spec)
    values.clean(spec, document.data, require=True)  # report missing fields before locking
    # Rendering and sealing run inside the transaction, slow as they are: the 文号 is drawn
    # from its series here, and only a document that is stored keeps it. Rendered outside,
    # a failure after the number was taken (no seal, a broken form) would leave a gap.
    with transaction.atomic(durable=True):
        document = Document.objects.select_for_update().get(pk=document.pk)
        # The values as they are under the lock: a save that came in meanwhile counts.
        cleaned = values.clean(spec, document.data, require=True)
        if document.status not in (DocumentStatus.DRAFT, DocumentStatus.APPROVED):
            raise ValidationError(
                _("This document cannot be issued now; it is %(status)s.")
                % {"status": document.get_status_display()},
                code="not_issuable",
            )
        approval_request = approved_request(document, spec) if spec.internal else None
        supersedes = document.supersedes
        if supersedes is not None:
            supersedes = IssuedDocument.objects.select_for_update().get(pk=supersedes.pk)
            if versions.is_served(supersedes):
                raise ValidationError(
                    _("The document this replaces has been served meanwhile: issue a correction."),
                    code="served",
                )
            if versions.is_replaced(supersedes):
                raise ValidationError(
                    _("This document has already been replaced."), code="replaced"
                )
        # 行政强制法 Art. 25: the period written on a seizure decision or its extension.
        periods.check(document.case, spec, cleaned, supersedes=supersedes)
        if numbers.number_taken(document.case, spec, supersedes):
            raise ValidationError(
                _(
                    "This case already has this document with its number: remake it as a new "
                    "version instead."
                ),
                code="issued_once",
            )
        issued = _write_issued(
            actor, document, spec, cleaned, supersedes=supersedes, approval=approval_request
        )
        document.status = DocumentStatus.ISSUED
        document.data = cleaned
        document.save(update_fields=["status", "data"])
        audit.record(
            DocumentEvents.ISSUE,
            actor=actor,
            request=request,
            obj=issued,
            case_id=issued.case_id,
            details={
                "form": spec.code,
                "number": issued.number,
                "version": issued.version,
                "sha256": current_file(issued).blob_id,
                **({"supersedes": supersedes.pk} if supersedes else {}),
                **({"corrects": issued.corrects_id} if issued.corrects_id else {}),
            },
        )
    return issued


def _write_issued(
    actor: User,
    document: Document,
    spec: FormSpec,
    cleaned: dict[str, str],
    *,
    supersedes: IssuedDocument | None,
    approval: ApprovalRequest | None,
) -> IssuedDocument:
    """Number, render, seal and store a draft inside the caller's transaction; the
    write-once issued document and its file."""
    case = document.case
    number = numbers.number_at_issue(case, spec, supersedes)
    now = timezone.now()
    code = new_verify_code()
    payment = rendering.payment_at_issue(case, spec)
    query = rendering.query_at_issue(case, spec, cleaned)
    ctx = rendering.issue_context(
        document,
        spec,
        cleaned,
        number=number,
        verify_code=code,
        issued_at=now,
        payment=payment,
        approval_request=approval,
        query=query,
    )
    pdf, pages, sealed = rendering.render(ctx, spec)
    blob = store_bytes(pdf)
    pay_number = payment[1]
    issued = IssuedDocument.objects.create(
        document=document,
        case=case,
        unit=case.unit,
        form_code=spec.code,
        title=spec.title,
        number=number,
        version=(supersedes.version + 1) if supersedes is not None else 1,
        data={**cleaned, **({rendering.PAYMENT_NOTICE_FIELD: pay_number} if pay_number else {})},
        needs_signature=catalog.needs_signature(spec),
        served=spec.served,
        supersedes=supersedes,
        corrects=document.corrects,
        serves=document.serves,
        form=catalog.spec_to_dict(spec),
        approval=approval,
        verify_code=code,
        issued_by=actor,
        issued_at=now,
    )
    DocumentFile.objects.create(
        issued=issued,
        purpose=FilePurpose.ISSUED,
        blob=blob,
        content_type="application/pdf",
        pages=pages,
        sealed=sealed,
        created_by=actor,
    )
    return issued


def refuse_change(
    actor: User | Actor, issued_pk: int, what: str, *, request: HttpRequest | None = None
) -> None:
    """Nothing issued is ever changed: an attempt (PUT, PATCH, DELETE …) is audited."""
    issued = IssuedDocument.objects.filter(pk=issued_pk).first()
    with transaction.atomic(durable=True):
        audit.record(
            DocumentEvents.MODIFY,
            actor=actor,
            request=request,
            obj=issued,
            object_type="documents.issueddocument",
            object_id=issued_pk,
            outcome=Outcome.DENIED,
            details={"attempted": what},
        )
