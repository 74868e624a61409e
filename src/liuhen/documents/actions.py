"""The one door for text records (R6.1, R7.1, R9, R18.2, R3.2).

Drafts are mutable; everything from issue on is write-once. Each action checks access,
validates, changes data and writes its audit event in one transaction. Rendering, sealing
and storing live in ``issuing.py``; this module decides what may happen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liuhen.cases import approvals
from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.models import ApprovalStatus, Case
from liuhen.core import access, audit
from liuhen.documents import catalog, issuing, values
from liuhen.documents.events import DocumentEvents
from liuhen.documents.models import (
    Document,
    DocumentStatus,
    FilePurpose,
    Finalisation,
    IssuedDocument,
    Origin,
    PartySignature,
    RefusalRecording,
    SignatureRefusal,
)
from liuhen.documents.perms import DocumentPerms
from liuhen.documents.spec import FormSpec
from liuhen.media.perms import MediaPerms

# R9.2: an AV record shows a refusal when it was running within this slack of the moment.
REFUSAL_AV_SLACK = dt.timedelta(minutes=30)
SCAN_TYPES = {"application/pdf": b"%PDF-", "image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG"}
SCAN_MAX_BYTES = 100 * 1024 * 1024


def _open_case(case: Case) -> None:
    """After archiving nothing is added to the case file (农业行政处罚程序规定)."""
    from liuhen.cases.models import Stage

    if case.stage == Stage.ARCHIVING:
        raise ValidationError(
            _("The case file is archived: no document can be added."), code="archived"
        )


def _spec(code: str) -> FormSpec:
    try:
        return catalog.get(code)
    except KeyError:
        raise ValidationError(
            {"form_code": [_("There is no such form.")]}, code="invalid"
        ) from None


def create_draft(
    actor: Any,
    case: Case,
    form_code: str,
    *,
    activity: Any = None,
    supersedes: IssuedDocument | None = None,
    corrects: IssuedDocument | None = None,
    request: HttpRequest | None = None,
) -> Document:
    """Start a document of ``form_code`` for ``case``, filled from what the case records.

    ``supersedes``: remake an issued document found wrong before service (a new version
    replacing it); ``corrects``: a written correction 补正 of a served one (drafting rules).
    """
    access.require(actor, DocumentPerms.DRAFT, case, request=request)
    _open_case(case)
    spec = _spec(form_code)
    if supersedes is not None:
        if supersedes.case_id != case.pk or supersedes.form_code != form_code:
            raise ValidationError(_("A new version must be of the same form and case."))
        if issuing.is_served(supersedes):
            raise ValidationError(
                _(
                    "This document has been served: it cannot be remade. Issue a written "
                    "correction (补正) instead."
                ),
                code="served",
            )
        if supersedes.superseded_by.exists():
            raise ValidationError(_("This document has already been replaced."), code="replaced")
    if corrects is not None and corrects.case_id != case.pk:
        raise ValidationError(_("A correction must be of a document of the same case."))
    if corrects is not None and not issuing.is_served(corrects):
        raise ValidationError(
            _(
                "This document has not been served: remake it as a new version instead of "
                "issuing a correction."
            ),
            code="not_served",
        )
    if activity is not None and activity.case_id != case.pk:
        raise ValidationError({"activity": [_("The activity is not of this case.")]})
    from liuhen.documents.prefill import prefill

    data = dict(supersedes.data) if supersedes is not None else prefill(case, spec)
    if corrects is not None:
        data.update(issuing.correction_values(corrects))
    with transaction.atomic():
        document = Document.objects.create(
            case=case,
            form_code=spec.code,
            title=spec.title,
            data={k: v for k, v in data.items() if spec.get_field(k) is not None},
            activity=activity,
            supersedes=supersedes,
            corrects=corrects,
            created_by=actor,
        )
        audit.record(
            DocumentEvents.DRAFT,
            actor=actor,
            request=request,
            obj=document,
            case_id=case.pk,
            details={
                "form": spec.code,
                **({"supersedes": supersedes.pk} if supersedes else {}),
                **({"corrects": corrects.pk} if corrects else {}),
            },
        )
    return document


def _editable(document: Document) -> None:
    if document.status not in (DocumentStatus.DRAFT,):
        raise ValidationError(
            _("Only a draft can be changed; this document is %(status)s.")
            % {"status": document.get_status_display()},
            code="not_draft",
        )


def save_draft(
    actor: Any,
    document: Document,
    data: Mapping[str, Any],
    *,
    request: HttpRequest | None = None,
) -> Document:
    """Keep the values typed so far (types checked, required fields only at issue)."""
    access.require(actor, DocumentPerms.DRAFT, document, request=request)
    spec = _spec(document.form_code)
    cleaned = values.clean(spec, data, require=False)
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        _editable(document)
        document.data = cleaned
        document.updated_at = timezone.now()
        document.save(update_fields=["data", "updated_at"])
        audit.record(
            DocumentEvents.DRAFT,
            actor=actor,
            request=request,
            obj=document,
            case_id=document.case_id,
            details={"form": spec.code, "saved": True},
        )
    return document


def discard_draft(actor: Any, document: Document, *, request: HttpRequest | None = None) -> None:
    access.require(actor, DocumentPerms.DRAFT, document, request=request)
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.status not in (DocumentStatus.DRAFT, DocumentStatus.APPROVED):
            raise ValidationError(_("Only an unissued draft can be discarded."), code="issued")
        document.status = DocumentStatus.DISCARDED
        document.save(update_fields=["status"])
        audit.record(
            DocumentEvents.DISCARD,
            actor=actor,
            request=request,
            obj=document,
            case_id=document.case_id,
        )


def approval_step(spec: FormSpec) -> str:
    return spec.approval_step or "document"


def submit_for_approval(
    actor: Any, document: Document, *, note: str = "", request: HttpRequest | None = None
) -> Any:
    """R7.1: an internal form goes to its approvers, who sign opinions that are printed on
    it. A form tied to a case step (filing, decision, closing …) is approved by that step's
    own request; only the generic forms are asked for here."""
    access.require(actor, DocumentPerms.DRAFT, document, request=request)
    spec = _spec(document.form_code)
    if not spec.internal:
        raise ValidationError(_("Only internal forms need approval."), code="not_internal")
    values.clean(spec, document.data, require=True)
    step = approval_step(spec)
    if step != "document":
        raise ValidationError(
            _("This form is approved through the case's own %(step)s approval.")
            % {"step": approvals.step_label(step)},
            code="case_step",
        )
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        _editable(document)
        approval_request = approval_actions.request_approval_about(
            actor, document.case, "document", note=note, about=document, request=request
        )
        document.approval = approval_request
        document.status = DocumentStatus.PENDING
        document.save(update_fields=["approval", "status"])
        audit.record(
            DocumentEvents.SUBMIT,
            actor=actor,
            request=request,
            obj=document,
            case_id=document.case_id,
            details={"approval": approval_request.pk},
        )
    return approval_request


def _document_approved(actor: Any, approval_request: Any, request: Any) -> None:
    Document.objects.filter(approval=approval_request).update(status=DocumentStatus.APPROVED)


def _document_rejected(actor: Any, approval_request: Any, request: Any) -> None:
    # Back to draft: the officer revises it and asks again (the rejection stays on record).
    Document.objects.filter(approval=approval_request).update(
        status=DocumentStatus.DRAFT, approval=None
    )


def _approval_of(document: Document, spec: FormSpec) -> Any:
    """The approved request whose opinions the internal form prints, or a ValidationError."""
    from liuhen.cases.models import ApprovalRequest

    step = approval_step(spec)
    if step == "document":
        found = document.approval
        if found is None or found.status != ApprovalStatus.APPROVED:
            found = None
    else:
        found = (
            ApprovalRequest.objects.filter(
                case=document.case, step=step, status=ApprovalStatus.APPROVED
            )
            .order_by("-decided_at", "-id")
            .first()
        )
    if found is None:
        raise ValidationError(
            _("This internal form can be issued only after its approval (R7.1)."),
            code="not_approved",
        )
    return found


def issue(actor: Any, document: Document, *, request: HttpRequest | None = None) -> IssuedDocument:
    """Issue a draft: required fields checked, the 文号 allocated, the PDF rendered (sealed
    when served, R18.2) and stored with SHA-256 and SM3. Nothing issued changes again."""
    access.require(actor, DocumentPerms.ISSUE, document, request=request)
    _open_case(document.case)
    spec = _spec(document.form_code)
    values.clean(spec, document.data, require=True)  # report missing fields before locking
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        # The values as they are under the lock: a save that came in meanwhile counts.
        cleaned = values.clean(spec, document.data, require=True)
        if document.status not in (DocumentStatus.DRAFT, DocumentStatus.APPROVED):
            raise ValidationError(
                _("This document cannot be issued now; it is %(status)s.")
                % {"status": document.get_status_display()},
                code="not_issuable",
            )
        approval_request = _approval_of(document, spec) if spec.internal else None
        supersedes = document.supersedes
        if supersedes is not None:
            supersedes = IssuedDocument.objects.select_for_update().get(pk=supersedes.pk)
            if issuing.is_served(supersedes):
                raise ValidationError(
                    _("The document this replaces has been served meanwhile: issue a correction."),
                    code="served",
                )
            if supersedes.superseded_by.exists():
                raise ValidationError(
                    _("This document has already been replaced."), code="replaced"
                )
        if issuing.number_taken(document.case, spec, supersedes):
            raise ValidationError(
                _(
                    "This case already has this document with its number: remake it as a new "
                    "version instead."
                ),
                code="issued_once",
            )
        issued = issuing.issue_document(
            actor,
            document,
            spec,
            cleaned,
            approval_request=approval_request,
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
                "sha256": issuing.current_file(issued).blob_id,
                **({"supersedes": supersedes.pk} if supersedes else {}),
                **({"corrects": issued.corrects_id} if issued.corrects_id else {}),
            },
        )
    return issued


# R8.2: a waiver of statement, defence or hearing is signed on the advance notice or its
# service receipt, even where that document itself needs no signature.
WAIVER_FORMS = frozenset({"advance_notice", "advance_notice_hearing", "service_receipt"})


def _require_open_for_signature(issued: IssuedDocument) -> None:
    if not issued.needs_signature and issued.form_code not in WAIVER_FORMS:
        raise ValidationError(_("This document does not need the party's signature."))
    if Finalisation.objects.filter(issued=issued).exists():
        raise ValidationError(_("This document is final already."), code="final")
    if issued.superseded_by.exists():
        raise ValidationError(
            _("This document has been replaced by a new version: sign that one."),
            code="replaced",
        )


def sign(
    actor: Any,
    issued: IssuedDocument,
    *,
    role: str,
    name: str,
    opinion: str,
    image_png: bytes,
    request: HttpRequest | None = None,
) -> PartySignature:
    """R9.1: the party (or witness) checks the document and signs on the tablet: opinion,
    name, date and the strokes. The principal signer's signature makes it final, with a
    new signed version of the PDF."""
    access.require(actor, DocumentPerms.SIGN, issued, request=request)
    errors: dict[str, list[str]] = {}
    name, opinion, role = name.strip(), opinion.strip(), role.strip()
    spec = catalog.spec_of_issued(issued)
    if role not in issuing.party_roles(spec):
        errors["role"] = [_("Choose who signs.")]
    if not name:
        errors["name"] = [_("Enter the signer's name.")]
    if not opinion:
        errors["opinion"] = [
            _("Enter the signer's opinion, e.g. 以上笔录我已看过，与我所说的相符.")
        ]
    if not issuing.is_signature_image(image_png):
        errors["image"] = [_("The signature is empty: the signer must sign on the pad.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        issued = IssuedDocument.objects.select_for_update().get(pk=issued.pk)
        _require_open_for_signature(issued)
        if issued.signatures.filter(role=role).exists() or issued.refusals.filter(role=role):
            raise ValidationError({"role": [_("This signer's line is done already.")]})
        image = issuing.store_bytes(image_png)
        signature = PartySignature.objects.create(
            issued=issued, role=role, name=name, opinion=opinion, image=image, recorded_by=actor
        )
        audit.record(
            DocumentEvents.SIGN,
            actor=actor,
            request=request,
            obj=signature,
            case_id=issued.case_id,
            details={"issued": issued.pk, "role": role, "name": name, "image": image.sha256},
        )
        _finalise_if_complete(actor, issued, request=request)
    return signature


def _av_from_that_time(
    actor: Any, issued: IssuedDocument, record_ids: Iterable[int], when: dt.datetime
) -> list[Any]:
    """R9.2: the AV records were running at the refusal (a few minutes of clock drift
    allowed), and the officer may see them."""
    from liuhen.media.models import AvRecord

    ids = {int(pk) for pk in record_ids}
    records = list(access.visible(actor, AvRecord.objects.filter(pk__in=ids)))
    if len(records) != len(ids):
        raise ValidationError({"av_records": [_("An AV record chosen is not available to you.")]})
    for record in records:
        start = record.captured_at
        if start is None:
            raise ValidationError(
                {"av_records": [_("AV record %(id)s has no capture time.") % {"id": record.pk}]}
            )
        probe = record.probe_or_none()
        if probe is None or (probe.duration is None and not probe.error):
            raise ValidationError(
                {
                    "av_records": [
                        _("AV record %(id)s is still being processed; try again in a minute.")
                        % {"id": record.pk}
                    ]
                }
            )
        length = dt.timedelta(seconds=probe.duration or 0)
        if not (start - REFUSAL_AV_SLACK <= when <= start + length + REFUSAL_AV_SLACK):
            raise ValidationError(
                {
                    "av_records": [
                        _("AV record %(id)s was not made at the time of the refusal.")
                        % {"id": record.pk}
                    ]
                }
            )
    return records


def _link_as_evidence(actor: Any, issued: IssuedDocument, records: list[Any], request: Any) -> None:
    """The refusal's recordings are kept with the case file (R18.4): link each to the case
    as evidence unless it already is linked to the case or one of its activities."""
    from django.db.models import Q

    from liuhen.media.actions import curation
    from liuhen.media.models import AvLink

    for record in records:
        linked = AvLink.objects.filter(record=record, unlink__isnull=True).filter(
            Q(case_id=issued.case_id) | Q(activity__case_id=issued.case_id)
        )
        if linked.filter(evidence=True).exists():
            continue
        if linked.exists() and not access.can(actor, MediaPerms.LINK, record):
            # Another officer's recording, linked to the case already: its link keeps it
            # with the case; marking it evidence is for someone who may link it.
            continue
        curation.file_as_evidence(actor, record, issued.case, request=request)


def refuse(
    actor: Any,
    issued: IssuedDocument,
    *,
    role: str,
    refused: str,
    circumstances: str,
    refused_at: dt.datetime,
    av_record_ids: Iterable[int],
    request: HttpRequest | None = None,
) -> SignatureRefusal:
    """R9.2: the party refused to sign. What was refused and the circumstances are recorded
    and at least one AV record made at that time is linked; then the document is final."""
    access.require(actor, DocumentPerms.SIGN, issued, request=request)
    spec = catalog.spec_of_issued(issued)
    errors: dict[str, list[str]] = {}
    ids = [int(pk) for pk in av_record_ids]
    role = role.strip()
    if timezone.is_naive(refused_at):
        refused_at = timezone.make_aware(refused_at)
    if not (issued.issued_at - REFUSAL_AV_SLACK <= refused_at <= timezone.now() + REFUSAL_AV_SLACK):
        errors["refused_at"] = [
            _("The refusal must be after the document was issued and not in the future.")
        ]
    if role not in issuing.party_roles(spec):
        errors["role"] = [_("Choose who refused.")]
    if not refused.strip():
        errors["refused"] = [_("Say what was refused.")]
    if not circumstances.strip():
        errors["circumstances"] = [_("Describe the circumstances of the refusal.")]
    if not ids:
        errors["av_records"] = [
            _(
                "A refusal to sign must be backed by an AV record made at that time (R9.2): "
                "link at least one."
            )
        ]
    if errors:
        raise ValidationError(errors)
    records = _av_from_that_time(actor, issued, ids, refused_at)
    with transaction.atomic():
        issued = IssuedDocument.objects.select_for_update().get(pk=issued.pk)
        _require_open_for_signature(issued)
        if issued.signatures.filter(role=role).exists() or issued.refusals.filter(role=role):
            raise ValidationError({"role": [_("This signer's line is done already.")]})
        _link_as_evidence(actor, issued, records, request)
        refusal = SignatureRefusal.objects.create(
            issued=issued,
            role=role,
            refused=refused.strip(),
            circumstances=circumstances.strip(),
            refused_at=refused_at,
            recorded_by=actor,
        )
        RefusalRecording.objects.bulk_create(
            RefusalRecording(refusal=refusal, record=record) for record in records
        )
        audit.record(
            DocumentEvents.REFUSAL,
            actor=actor,
            request=request,
            obj=refusal,
            case_id=issued.case_id,
            details={"issued": issued.pk, "role": refusal.role, "av_records": sorted(ids)},
        )
        _finalise_if_complete(actor, issued, request=request)
    return refusal


def _lines_done(issued: IssuedDocument, spec: FormSpec) -> tuple[bool, bool]:
    """(principal done, every party line done): signed or refused."""
    done = set(issued.signatures.values_list("role", flat=True))
    done |= set(issued.refusals.values_list("role", flat=True))
    roles = issuing.party_roles(spec)
    return roles[0] in done, all(role in done for role in roles)


def _finalise(actor: Any, issued: IssuedDocument, spec: FormSpec, *, request: Any) -> Finalisation:
    file = issuing.render_signed_version(actor, issued, spec)
    principal = issuing.party_roles(spec)[0]
    signed = issued.signatures.filter(role=principal).exists()
    how = Finalisation.How.SIGNED if signed else Finalisation.How.REFUSED
    finalisation = Finalisation.objects.create(
        issued=issued, how=how, file=file, finalised_by=actor
    )
    audit.record(
        DocumentEvents.FINALISE,
        actor=actor,
        request=request,
        obj=issued,
        case_id=issued.case_id,
        details={"how": how, "sha256": file.blob_id},
    )
    return finalisation


def _finalise_if_complete(actor: Any, issued: IssuedDocument, *, request: Any) -> None:
    """Every party line signed or refused: the document is final (R9.2)."""
    spec = catalog.spec_of_issued(issued)
    _principal, every = _lines_done(issued, spec)
    if every:
        _finalise(actor, issued, spec, request=request)


def finalise(
    actor: Any, issued: IssuedDocument, *, request: HttpRequest | None = None
) -> Finalisation:
    """Make a document final once its principal signer signed or refused (R9.2), when the
    other lines (a witness, say) stay empty because nobody else took part."""
    access.require(actor, DocumentPerms.SIGN, issued, request=request)
    spec = catalog.spec_of_issued(issued)
    with transaction.atomic():
        issued = IssuedDocument.objects.select_for_update().get(pk=issued.pk)
        _require_open_for_signature(issued)
        principal, _every = _lines_done(issued, spec)
        if not principal:
            raise ValidationError(
                _(
                    "The document needs the signature of %(role)s, or a refusal recorded with "
                    "AV, before it can be final (R9.2)."
                )
                % {"role": issuing.party_roles(spec)[0]},
                code="unsigned",
            )
        return _finalise(actor, issued, spec, request=request)


def upload_scan(
    actor: Any,
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
    _open_case(case)
    spec = _spec(form_code)
    magic = SCAN_TYPES.get(content_type)
    if magic is None or not content.startswith(magic):
        raise ValidationError(
            {"file": [_("A scan must be a PDF, JPEG or PNG file.")]}, code="invalid"
        )
    if len(content) > SCAN_MAX_BYTES:
        raise ValidationError({"file": [_("The scan is larger than 100 MB.")]}, code="too_big")
    with transaction.atomic():
        issued = issuing.store_scan(
            actor,
            case,
            spec,
            content=content,
            content_type=content_type,
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
                "sha256": issuing.current_file(issued).blob_id,
                "origin": Origin.PAPER,
            },
        )
    return issued


def open_file(
    actor: Any,
    issued: IssuedDocument,
    *,
    purpose: str | None = None,
    request: HttpRequest | None = None,
) -> Any:
    """The document's current file (or the one of ``purpose``) for download, audited."""
    access.require(actor, DocumentPerms.DOWNLOAD, issued, request=request)
    file = issuing.current_file(issued) if purpose is None else issued.files.get(purpose=purpose)
    audit.record(
        DocumentEvents.DOWNLOAD,
        actor=actor,
        request=request,
        obj=issued,
        case_id=issued.case_id,
        details={"purpose": file.purpose, "sha256": file.blob_id},
    )
    return file


def view_issued(actor: Any, issued: IssuedDocument, *, request: HttpRequest | None = None) -> None:
    """Every retrieval is logged (architecture rule 6, R21.1): opening an issued document."""
    access.require(actor, DocumentPerms.VIEW, issued, request=request)
    audit.record(
        DocumentEvents.VIEW, actor=actor, request=request, obj=issued, case_id=issued.case_id
    )


def refuse_change(
    actor: Any, issued_pk: int, what: str, *, request: HttpRequest | None = None
) -> None:
    """Nothing issued is ever changed: an attempt (PUT, PATCH, DELETE …) is audited."""
    from liuhen.core.audit import Outcome

    issued = IssuedDocument.objects.filter(pk=issued_pk).first()
    with transaction.atomic():
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


__all__ = [
    "FilePurpose",
    "create_draft",
    "discard_draft",
    "finalise",
    "issue",
    "open_file",
    "refuse",
    "refuse_change",
    "save_draft",
    "sign",
    "submit_for_approval",
    "upload_scan",
    "view_issued",
]


# R7.1: an internal form (审批表) is approved before it is issued.
APPROVAL_STEPS = (
    approvals.ApprovalStep(
        "document",
        gettext_lazy("Internal document (审批表)"),
        on_approved=_document_approved,
        on_rejected=_document_rejected,
    ),
)
