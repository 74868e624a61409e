"""Making the files of a document: print context, render, seal (R18.2), store (SHA-256 and
SM3 via the blob store). Called by ``documents.actions`` inside their transactions."""

from __future__ import annotations

import base64
import io
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.core.blobs import get_store, store_blob
from liuhen.documents.models import (
    DocumentFile,
    FilePurpose,
    IssuedDocument,
    Origin,
    SealCertificate,
    new_verify_code,
)
from liuhen.documents.printing import PrintApproval, PrintContext, PrintSignature, RenderedPdf
from liuhen.documents.spec import PAYMENT_QR, FormSpec, behaviour

# Signature lines that officers (not the party) sign; the rest are the party's or a
# witness's, checked and signed under R9.1.
OFFICER_SIGNERS = frozenset(
    {
        "执法人员",
        "询问人",
        "记录人",
        "检查人",
        "勘验人",
        "承办人",
        "承办人员",
        "送达人",
        "主持人",
        "听证主持人",
        "听证员",
        "书记员",
        "抽样人",
        "抽样人员",
        "执法机关",
        "处理人",
        "经办人",
        "审核人",
        "负责人",
    }
)
PARTY = "当事人"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def party_roles(spec: FormSpec) -> tuple[str, ...]:
    """The lines the party (first, the principal) and other persons sign (R9.1)."""
    roles = tuple(role for role in spec.signers if role not in OFFICER_SIGNERS)
    return roles or (PARTY,)


def is_served(issued: IssuedDocument) -> bool:
    """Has the document gone out to the party (a ServiceRecord with a service date — for a
    public notice the date it takes effect, which may still lie ahead)? Then it is no
    longer remade but corrected in writing (drafting rules)."""
    return issued.services.filter(served_on__isnull=False).exists()


def current_file(issued: IssuedDocument) -> DocumentFile:
    """The signed version once there is one, else the file as issued (or the scan)."""
    files = {f.purpose: f for f in issued.files.all()}
    for purpose in (FilePurpose.SIGNED, FilePurpose.ISSUED, FilePurpose.SCAN):
        if purpose in files:
            return files[purpose]
    raise DocumentFile.DoesNotExist(f"issued document {issued.pk} has no file")


def store_bytes(data: bytes) -> Any:
    return store_blob(io.BytesIO(data))


def read_blob(sha256: str) -> bytes:
    with get_store().open(sha256) as handle:
        return bytes(handle.read())


def is_signature_image(png: bytes) -> bool:
    """A PNG with at least one drawn (non-transparent, non-white) pixel."""
    if not png.startswith(PNG_MAGIC) or len(png) > 2 * 1024 * 1024:
        return False
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(png)) as image:
            rgba = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, ValueError):
        return False
    alpha = rgba.getchannel("A").point(lambda a: 255 if a > 16 else 0)
    dark = rgba.convert("L").point(lambda v: 255 if v < 200 else 0)
    from PIL import ImageChops

    return ImageChops.multiply(alpha, dark).getbbox() is not None


# --- seal -----------------------------------------------------------------------------


def active_seal() -> SealCertificate | None:
    return SealCertificate.objects.filter(active=True).order_by("-uploaded_at", "-id").first()


def seal_credentials(row: SealCertificate) -> Any:
    from liuhen.documents.seal import SealCredentials
    from liuhen.subjects import crypto

    p12 = base64.b64decode(crypto.decrypt(row.p12_encrypted))
    passphrase = crypto.decrypt(row.passphrase_encrypted) if row.passphrase_encrypted else ""
    image = read_blob(row.image_id) if row.image_id else None
    return SealCredentials(p12=p12, passphrase=passphrase.encode() or None, image_png=image)


def _seal(rendered: RenderedPdf, spec: FormSpec, bureau_name: str) -> bytes:
    from liuhen.documents.seal import seal_pdf

    row = active_seal()
    if row is None:
        raise ValidationError(
            _(
                "No seal certificate is installed: the security administrator must install "
                "the bureau's seal before served documents can be issued (R18.2)."
            ),
            code="no_seal",
        )
    return seal_pdf(
        rendered.pdf,
        seal_credentials(row),
        box=rendered.seal_box,
        reason=spec.title,
        location=bureau_name,
    )


# --- print context ----------------------------------------------------------------------


def verify_url(code: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}/verify/{code}/"


def _bureau_name(case: Any) -> str:
    return str(case.unit.bureau.name)


def _approvals(approval_request: Any) -> tuple[PrintApproval, ...]:
    if approval_request is None:
        return ()
    from liuhen.accounts.models import Role

    labels = dict(Role.choices)
    out = []
    for approval in approval_request.approvals.select_related("approver").order_by("position"):
        out.append(
            PrintApproval(
                role=str(labels.get(approval.role, approval.role)),
                name=approval.approver.full_name or approval.approver.username,
                opinion=approval.opinion,
                signed_on=timezone.localdate(approval.signed_at),
            )
        )
    return tuple(out)


def _payment(issued_case: Any, spec: FormSpec, *, create: bool) -> tuple[str, str]:
    """The payment QR's URL and notice number (R11.1), creating the notice at issue."""
    if not spec.payment_qr:
        return "", ""
    decision = getattr(issued_case, "decision", None)
    if decision is None:
        raise ValidationError(
            _(
                "Record the penalty decision before issuing its document: the payment QR code "
                "needs the fine (R11.1)."
            ),
            code="no_decision",
        )
    return behaviour(PAYMENT_QR).at_issue(decision, create=create)


def _signatures(issued: IssuedDocument) -> tuple[tuple[PrintSignature, ...], str]:
    signatures = tuple(
        PrintSignature(
            role=s.role,
            name=s.name,
            opinion=s.opinion,
            signed_on=timezone.localdate(s.signed_at),
            image_png=read_blob(s.image_id),
        )
        for s in issued.signatures.order_by("signed_at", "id")
    )
    # Printed form content is Chinese data, whatever the language of the request.
    refusals = [
        f"{r.role}拒绝签名：{r.refused}。{r.circumstances}（已音像记录）"
        for r in issued.refusals.order_by("recorded_at", "id")
    ]
    return signatures, "；".join(refusals)


def _render(ctx: PrintContext, spec: FormSpec, bureau_name: str) -> tuple[bytes, int, bool]:
    from liuhen.documents.pdf import render_pdf

    rendered = render_pdf(ctx)
    if spec.sealed:
        return _seal(rendered, spec, bureau_name), rendered.pages, True
    return rendered.pdf, rendered.pages, False


# Forms whose 文号 the case already allocated when the step itself was taken: the filing
# approval carries the case number, the decisions the decision's 罚 number.
_NUMBER_FROM_DECISION = frozenset({"penalty_decision", "on_the_spot_decision"})
_NUMBER_FROM_CASE = frozenset({"filing_approval"})


def _number_given_elsewhere(case: Any, spec: FormSpec) -> str:
    if spec.code in _NUMBER_FROM_CASE:
        return str(case.number)
    if spec.code in _NUMBER_FROM_DECISION:
        decision = getattr(case, "decision", None)
        if decision is None:
            raise ValidationError(
                _("Record the penalty decision first: this document carries its number."),
                code="no_decision",
            )
        return str(decision.number)
    return ""


def number_taken(case: Any, spec: FormSpec, supersedes: IssuedDocument | None) -> bool:
    """A form whose 文号 belongs to the case or its decision is issued once per case (a
    remake replaces it); a second document would carry the same number."""
    if spec.code not in _NUMBER_FROM_CASE | _NUMBER_FROM_DECISION:
        return False
    issued = IssuedDocument.objects.filter(case=case, form_code=spec.code)
    if supersedes is not None:
        issued = issued.exclude(pk=supersedes.pk)
    return issued.exclude(superseded_by__isnull=False).exists()


def issue_document(
    actor: Any,
    document: Any,
    spec: FormSpec,
    cleaned: dict[str, str],
    *,
    approval_request: Any,
) -> IssuedDocument:
    """Number, render, seal and store a draft; return the write-once issued document."""
    from liuhen.cases.actions import numbering
    from liuhen.documents.catalog import needs_signature, spec_to_dict

    case = document.case
    supersedes = document.supersedes
    existing = _number_given_elsewhere(case, spec)
    if supersedes is not None and supersedes.number:
        number = supersedes.number  # the remade version was never served: same 文号
    elif existing:
        number = existing
    elif spec.number_kind:
        number = numbering.allocate(spec.number_kind, case.field)
    else:
        number = ""
    now = timezone.now()
    code = new_verify_code()
    pay_url, pay_number = _payment(case, spec, create=True)
    bureau_name = _bureau_name(case)
    ctx = PrintContext(
        spec=spec,
        values=cleaned,
        bureau_name=bureau_name,
        number=number,
        issued_on=timezone.localdate(now),
        verify_url=verify_url(code),
        payment_url=pay_url,
        payment_notice_number=pay_number,
        approvals=_approvals(approval_request),
    )
    pdf, pages, sealed = _render(ctx, spec, bureau_name)
    blob = store_bytes(pdf)
    issued = IssuedDocument.objects.create(
        document=document,
        case=case,
        unit=case.unit,
        form_code=spec.code,
        title=spec.title,
        number=number,
        version=(supersedes.version + 1) if supersedes is not None else 1,
        data={**cleaned, **({"payment_notice_number": pay_number} if pay_number else {})},
        needs_signature=needs_signature(spec),
        served=spec.served,
        supersedes=supersedes,
        corrects=document.corrects,
        form=spec_to_dict(spec),
        approval=approval_request,
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


def print_context(issued: IssuedDocument, spec: FormSpec, *, draft: bool = False) -> PrintContext:
    """The context an issued document prints with now (its signatures and refusals too)."""
    signatures, refusal = _signatures(issued)
    data = dict(issued.data)
    pay_number = data.pop("payment_notice_number", "")
    pay_url = ""
    if pay_number:
        pay_url = behaviour(PAYMENT_QR).url(pay_number)
    return PrintContext(
        spec=spec,
        values=data,
        bureau_name=_bureau_name(issued.case),
        number=issued.number,
        issued_on=timezone.localdate(issued.issued_at),
        verify_url=verify_url(issued.verify_code),
        payment_url=pay_url,
        payment_notice_number=pay_number,
        signatures=signatures,
        refusal=refusal,
        approvals=_approvals(issued.approval),
        draft=draft,
    )


def render_signed_version(actor: Any, issued: IssuedDocument, spec: FormSpec) -> DocumentFile:
    """R9.1: the new version of the PDF with the signatures (or the refusal) on its lines."""
    ctx = print_context(issued, spec)
    pdf, pages, sealed = _render(ctx, spec, ctx.bureau_name)
    return DocumentFile.objects.create(
        issued=issued,
        purpose=FilePurpose.SIGNED,
        blob=store_bytes(pdf),
        content_type="application/pdf",
        pages=pages,
        sealed=sealed,
        created_by=actor,
    )


def preview_context(document: Any, spec: FormSpec) -> PrintContext:
    """A draft as it would print (watermarked 草稿, no number, no QR codes)."""
    return PrintContext(
        spec=spec,
        values={k: str(v) for k, v in document.data.items()},
        bureau_name=_bureau_name(document.case),
        draft=True,
    )


def correction_values(original: IssuedDocument) -> dict[str, str]:
    return {"original_number": original.number, "original_title": original.title}


def _scan_pages(content: bytes, content_type: str) -> int:
    if content_type != "application/pdf":
        return 1
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        return len(PdfReader(io.BytesIO(content)).pages)
    except (PdfReadError, ValueError, KeyError) as exc:
        raise ValidationError(
            {"file": [_("The PDF could not be read: %(error)s") % {"error": exc}]}
        ) from exc


def store_scan(
    actor: Any,
    case: Any,
    spec: FormSpec,
    *,
    content: bytes,
    content_type: str,
    number: str,
    issued_on: Any,
    note: str,
) -> IssuedDocument:
    pages = _scan_pages(content, content_type)
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
    DocumentFile.objects.create(
        issued=issued,
        purpose=FilePurpose.SCAN,
        blob=blob,
        content_type=content_type,
        pages=pages,
        created_by=actor,
    )
    return issued
