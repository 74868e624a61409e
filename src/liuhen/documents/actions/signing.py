"""The party's check and signature (R9.1), a refusal to sign backed by AV (R9.2), and the
document made final — with a new, signed version of its PDF, once every line (the party's
and the officers') is signed or refused, or by hand with the lines left marked unsigned.
A waiver of statement, defence or hearing is signed on a form that offers it (R8.2) and is,
as signed, the case's waiver on its advance notice: the workflow treats those rights as
waived."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.accounts.models import User
from liuhen.cases.actions import decisions as case_decisions
from liuhen.cases.actions.frozen import refuse_if_archived
from liuhen.cases.perms import CasePerms
from liuhen.core import access, audit
from liuhen.documents.catalog import catalog
from liuhen.documents.events import DocumentEvents
from liuhen.documents.files import store_bytes
from liuhen.documents.issuing import rendering, versions
from liuhen.documents.issuing.signatures import (
    REFUSAL_AV_SLACK,
    is_final,
    is_signature_image,
    officer_line_done,
    officer_roles,
    party_roles,
    waived_rights,
    with_waivers,
)
from liuhen.documents.models import (
    DocumentFile,
    FilePurpose,
    Finalisation,
    IssuedDocument,
    PartySignature,
    RefusalRecording,
    SignatureRefusal,
)
from liuhen.documents.perms import DocumentPerms
from liuhen.documents.spec import FormSpec
from liuhen.media.actions import curation
from liuhen.media.models import AvLink, AvRecord
from liuhen.media.perms import MediaPerms


def _require_open_for_signature(issued: IssuedDocument) -> None:
    # R8.2: a waiver of statement, defence or hearing is signed on a form that offers one,
    # even where that document itself needs no signature.
    if not issued.needs_signature and not catalog.rules_of(issued).waivable_rights:
        raise ValidationError(_("This document does not need the party's signature."))
    if is_final(issued):
        raise ValidationError(_("This document is final already."), code="final")
    if versions.is_replaced(issued):
        raise ValidationError(
            _("This document has been replaced by a new version: sign that one."),
            code="replaced",
        )


def _require_line_open(issued: IssuedDocument, role: str) -> None:
    if issued.signatures.filter(role=role).exists() or issued.refusals.filter(role=role):
        raise ValidationError({"role": [_("This signer's line is done already.")]})


def sign(
    actor: User,
    issued: IssuedDocument,
    *,
    role: str,
    name: str,
    opinion: str,
    image_png: bytes,
    waivers: Sequence[str] = (),
    request: HttpRequest | None = None,
) -> PartySignature:
    """R9.1: the party (or witness) checks the document and signs on the tablet: opinion,
    name, date and the strokes. The principal signer's signature makes it final, with a
    new signed version of the PDF.

    R8.2: ``waivers`` the party chooses among those the form offers are written into the
    opinion it signs and recorded as the case's waiver on its advance notice in force."""
    access.require(actor, DocumentPerms.SIGN, issued, request=request)
    refuse_if_archived(actor, issued.case, "documents.sign", request=request)
    errors: dict[str, list[str]] = {}
    name, opinion, role = name.strip(), opinion.strip(), role.strip()
    spec = catalog.spec_of_issued(issued)
    if role not in party_roles(spec):
        errors["role"] = [_("Choose who signs.")]
    rights = _waived(actor, issued, spec, role, waivers, errors, request)
    opinion = with_waivers(opinion, waivers) if rights else opinion
    if not name:
        errors["name"] = [_("Enter the signer's name.")]
    if not opinion:
        errors["opinion"] = [
            _("Enter the signer's opinion, e.g. 以上笔录我已看过，与我所说的相符.")
        ]
    if not is_signature_image(image_png):
        errors["image"] = [_("The signature is empty: the signer must sign on the pad.")]
    if errors:
        raise ValidationError(errors)
    # The signed version is rendered (and sealed) inside the transaction: the signature,
    # the finalisation and its file are one record, or none.
    with transaction.atomic(durable=True):
        issued = IssuedDocument.objects.select_for_update().get(pk=issued.pk)
        _require_open_for_signature(issued)
        _require_line_open(issued, role)
        image = store_bytes(image_png)
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
        if rights:
            case_decisions.record_signed_waiver(
                actor,
                issued.case,
                rights=rights,
                statement=opinion,
                document={"issued": issued.pk, "signature": signature.pk},
                request=request,
            )
        _finalise_if_complete(actor, issued, request=request)
    return signature


def _waived(
    actor: User,
    issued: IssuedDocument,
    spec: FormSpec,
    role: str,
    waivers: Sequence[str],
    errors: dict[str, list[str]],
    request: HttpRequest | None,
) -> list[str]:
    """R8.2: the workflow's rights the party waives by this signature ([] for none); a
    waiver the form does not offer, or signed on another person's line, goes to ``errors``.
    Checked before the signature is taken: the case's advance notice must be recorded."""
    if not waivers:
        return []
    offered = {w.value for w in catalog.rules_of(issued).waivable_rights}
    if not set(waivers) <= offered:
        errors["waivers"] = [_("This document does not offer that waiver.")]
        return []
    if role != party_roles(spec)[0]:
        errors["waivers"] = [_("Only the party waives its rights, on its own line.")]
        return []
    access.require(actor, CasePerms.CHANGE, issued.case, request=request)
    try:
        case_decisions.waiver_notice(issued.case)
    except ValidationError as exc:
        errors["waivers"] = list(exc.messages)
        return []
    return waived_rights(waivers)


def _av_from_that_time(actor: User, record_ids: Iterable[int], when: dt.datetime) -> list[AvRecord]:
    """R9.2: the AV records were running at the refusal (a few minutes of clock drift
    allowed), and the officer may see them."""
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


def _link_as_evidence(
    actor: User, issued: IssuedDocument, records: list[AvRecord], request: HttpRequest | None
) -> None:
    """The refusal's recordings are kept with the case file (R18.4): link each to the case
    as evidence unless it already is linked to the case or one of its activities."""
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
    actor: User,
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
    refuse_if_archived(actor, issued.case, "documents.refuse", request=request)
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
    if role not in party_roles(spec):
        errors["role"] = [_("Choose who refused.")]
    if not refused.strip():
        errors["refused"] = [_("Say what was refused.")]
    if not circumstances.strip():
        errors["circumstances"] = [_("Describe the circumstances of the refusal.")]
    if not ids:
        errors["av_records"] = [
            _(
                "A refusal to sign must be backed by an AV record made at that time (basis: the "
                "recording rules, Art. 9): "
                "link at least one."
            )
        ]
    if errors:
        raise ValidationError(errors)
    records = _av_from_that_time(actor, ids, refused_at)
    with transaction.atomic(durable=True):
        issued = IssuedDocument.objects.select_for_update().get(pk=issued.pk)
        _require_open_for_signature(issued)
        _require_line_open(issued, role)
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
    """(principal done, every line done): each party line signed or refused, each officer
    line signed by the officers named on it."""
    done = set(issued.signatures.values_list("role", flat=True))
    done |= set(issued.refusals.values_list("role", flat=True))
    roles = party_roles(spec)
    every = all(role in done for role in roles) and all(
        officer_line_done(issued, role) for role in officer_roles(spec)
    )
    return roles[0] in done, every


def _signed_version(actor: User, issued: IssuedDocument, spec: FormSpec) -> DocumentFile:
    """R9.1: the new version of the PDF with the signatures (or the refusal) on its lines,
    and a line nobody signed marked so."""
    ctx = rendering.print_context(issued, spec, final=True)
    pdf, pages, sealed = rendering.render(ctx, spec)
    return DocumentFile.objects.create(
        issued=issued,
        purpose=FilePurpose.SIGNED,
        blob=store_bytes(pdf),
        content_type="application/pdf",
        pages=pages,
        sealed=sealed,
        created_by=actor,
    )


def _finalise(
    actor: User, issued: IssuedDocument, spec: FormSpec, *, request: HttpRequest | None
) -> Finalisation:
    file = _signed_version(actor, issued, spec)
    principal = party_roles(spec)[0]
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


def _finalise_if_complete(
    actor: User, issued: IssuedDocument, *, request: HttpRequest | None
) -> None:
    """Every line signed (or the party's refused): the document is final (R9.2)."""
    spec = catalog.spec_of_issued(issued)
    _principal, every = _lines_done(issued, spec)
    if every:
        _finalise(actor, issued, spec, request=request)


def finalise(
    actor: User, issued: IssuedDocument, *, request: HttpRequest | None = None
) -> Finalisation:
    """Make a document final once its principal signer signed or refused (R9.2), when the
    other lines (a witness, say) stay empty because nobody else took part; the signed
    version marks them unsigned."""
    access.require(actor, DocumentPerms.SIGN, issued, request=request)
    refuse_if_archived(actor, issued.case, "documents.finalise", request=request)
    spec = catalog.spec_of_issued(issued)
    with transaction.atomic(durable=True):
        issued = IssuedDocument.objects.select_for_update().get(pk=issued.pk)
        _require_open_for_signature(issued)
        principal, _every = _lines_done(issued, spec)
        if not principal:
            raise ValidationError(
                _(
                    "The document needs the signature of %(role)s, or a refusal recorded with "
                    "AV, before it can be final (basis: the recording rules, Art. 9)."
                )
                % {"role": party_roles(spec)[0]},
                code="unsigned",
            )
        return _finalise(actor, issued, spec, request=request)
