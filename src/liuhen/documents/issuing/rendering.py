"""A document as it prints: its print context from the tables (values, 文号, approvals,
signatures, the verification and payment QR codes), rendered to PDF and sealed when the
form bears the bureau's seal (R18.2)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.accounts.models import Role
from liuhen.cases.models import ApprovalRequest, Case
from liuhen.core import registry
from liuhen.documents.files import read_blob
from liuhen.documents.issuing.signatures import UNSIGNED_MARK
from liuhen.documents.models import Document, IssuedDocument, OfficerSignature, PartySignature
from liuhen.documents.printing.context import (
    PrintApproval,
    PrintContext,
    PrintSignature,
    RenderedPdf,
)
from liuhen.documents.printing.pdf import render_pdf
from liuhen.documents.seal.certificate import active_seal, seal_credentials
from liuhen.documents.seal.sealing import seal_pdf
from liuhen.documents.spec import PAYMENT_QR, QUERY_CODE, FormSpec, behaviour

# R11.1: the field of a form with the payment QR that carries the payment notice's number.
PAYMENT_NOTICE_FIELD = "payment_notice_number"


def verify_url(code: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}/verify/{code}/"


def bureau_name(case: Case) -> str:
    return str(case.unit.bureau.name)


def _approvals(approval_request: ApprovalRequest | None) -> tuple[PrintApproval, ...]:
    if approval_request is None:
        return ()
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


def payment_at_issue(case: Case, spec: FormSpec) -> tuple[str, str]:
    """The payment QR's URL and notice number (R11.1); the provider of the behaviour makes
    the notice when the decision is first issued, inside the caller's transaction."""
    if not spec.payment_qr:
        return "", ""
    decision = getattr(case, "decision", None)
    if decision is None:
        raise ValidationError(
            _(
                "Record the penalty decision before issuing its document: the payment QR code "
                "needs the fine (basis: the recording rules, Art. 11)."
            ),
            code="no_decision",
        )
    url, number = behaviour(PAYMENT_QR).at_issue(decision, create=True)
    return str(url), str(number)


def query_at_issue(case: Case, spec: FormSpec, values: dict[str, str]) -> tuple[str, str]:
    """R19.1: the party's case query URL and code for a document served on the party; the
    provider makes the code with the first such document, inside the caller's transaction."""
    provider = registry.document_behaviours.get(QUERY_CODE)
    if not spec.served or provider is None:
        return "", ""
    url, code = provider.at_issue(case, values)
    return str(url), str(code)


def _query_printed(issued: IssuedDocument) -> tuple[str, str]:
    provider = registry.document_behaviours.get(QUERY_CODE)
    if not issued.served or provider is None:
        return "", ""
    url, code = provider.printed(issued.case, dict(issued.data))
    return str(url), str(code)


def _signatures(issued: IssuedDocument) -> tuple[tuple[PrintSignature, ...], str]:
    # The officers sign their own lines without an opinion: name, date and strokes. The
    # print groups the signatures by line.
    signed: list[PartySignature | OfficerSignature] = [
        *issued.signatures.order_by("signed_at", "id"),
        *issued.officer_signatures.order_by("signed_at", "id"),
    ]
    signatures = tuple(
        PrintSignature(
            role=s.role,
            name=s.name,
            opinion=getattr(s, "opinion", ""),
            signed_on=timezone.localdate(s.signed_at),
            image_png=read_blob(s.image_id),
        )
        for s in signed
    )
    # Printed form content is Chinese data, whatever the language of the request.
    refusals = [
        f"{r.role}拒绝签名：{r.refused}。{r.circumstances}（已音像记录）"
        for r in issued.refusals.order_by("recorded_at", "id")
    ]
    return signatures, "；".join(refusals)


def _seal(rendered: RenderedPdf, spec: FormSpec, bureau: str) -> bytes:
    row = active_seal()
    if row is None:
        raise ValidationError(
            _(
                "No seal certificate is installed: the security administrator must install "
                "the bureau's seal before served documents can be issued (basis: the recording "
                "rules, Art. 18)."
            ),
            code="no_seal",
        )
    return seal_pdf(
        rendered.pdf,
        seal_credentials(row),
        box=rendered.seal_box,
        reason=spec.title,
        location=bureau,
    )


def render(ctx: PrintContext, spec: FormSpec) -> tuple[bytes, int, bool]:
    """The PDF of ``ctx``, sealed when the form bears the seal: (bytes, pages, sealed)."""
    rendered = render_pdf(ctx)
    if spec.sealed:
        return _seal(rendered, spec, ctx.bureau_name), rendered.pages, True
    return rendered.pdf, rendered.pages, False


def _with_payment_number(values: dict[str, str], number: str) -> dict[str, str]:
    """R11.1: the decision's field 缴款通知书编号 prints the number of the notice made for it,
    whatever the draft held there (the notice exists only from the issue on)."""
    if not number:
        return values
    return {**values, PAYMENT_NOTICE_FIELD: number}


def issue_context(
    document: Document,
    spec: FormSpec,
    values: dict[str, str],
    *,
    number: str,
    verify_code: str,
    issued_at: dt.datetime,
    payment: tuple[str, str],
    approval_request: ApprovalRequest | None,
    query: tuple[str, str] = ("", ""),
) -> PrintContext:
    """The context a draft prints with when it is issued."""
    pay_url, pay_number = payment
    query_url, query_code = query
    return PrintContext(
        spec=spec,
        values=_with_payment_number(values, pay_number),
        bureau_name=bureau_name(document.case),
        number=number,
        issued_on=timezone.localdate(issued_at),
        verify_url=verify_url(verify_code),
        payment_url=pay_url,
        payment_notice_number=pay_number,
        approvals=_approvals(approval_request),
        query_url=query_url,
        query_code=query_code,
    )


def print_context(
    issued: IssuedDocument, spec: FormSpec, *, draft: bool = False, final: bool = False
) -> PrintContext:
    """The context an issued document prints with now (its signatures and refusals too);
    ``final``: the signed version, where a line nobody signed is marked unsigned."""
    signatures, refusal = _signatures(issued)
    data = dict(issued.data)
    pay_number = str(data.get(PAYMENT_NOTICE_FIELD, ""))
    pay_url = ""
    if pay_number:
        pay_url = behaviour(PAYMENT_QR).url(pay_number)
    query_url, query_code = _query_printed(issued)
    return PrintContext(
        spec=spec,
        values=_with_payment_number(data, pay_number),
        bureau_name=bureau_name(issued.case),
        number=issued.number,
        issued_on=timezone.localdate(issued.issued_at),
        verify_url=verify_url(issued.verify_code),
        payment_url=pay_url,
        payment_notice_number=pay_number,
        query_url=query_url,
        query_code=query_code,
        signatures=signatures,
        refusal=refusal,
        unsigned_mark=UNSIGNED_MARK if final else "",
        approvals=_approvals(issued.approval),
        draft=draft,
    )


def preview_context(document: Document, spec: FormSpec) -> PrintContext:
    """A draft as it would print (watermarked 草稿, no number, no QR codes)."""
    return PrintContext(
        spec=spec,
        values={k: str(v) for k, v in document.data.items()},
        bureau_name=bureau_name(document.case),
        draft=True,
    )
