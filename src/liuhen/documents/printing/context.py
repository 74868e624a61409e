"""What a printed document is made of: the form (``FormSpec``) plus everything that is
filled in, signed, approved or issued. The render code (``pdf.py``) only reads this."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from liuhen.documents.spec import FormSpec


@dataclass(frozen=True)
class PrintSignature:
    """A signature on one of the form's signature lines (R9.1)."""

    role: str  # as in FormSpec.signers, e.g. "被询问人"
    name: str
    opinion: str  # e.g. "以上笔录我已看过，与我所说的相符"
    signed_on: datetime.date
    image_png: bytes | None  # the stroke image from the tablet


@dataclass(frozen=True)
class PrintApproval:
    """One approval step of an internal form: opinion, name and date (R7.1)."""

    role: str  # e.g. "承办机构意见", "执法机关负责人意见"
    name: str
    opinion: str
    signed_on: datetime.date


@dataclass(frozen=True)
class PrintContext:
    spec: FormSpec
    values: dict[str, str]  # field name → value; empty or missing prints "/"
    bureau_name: str
    number: str = ""  # 文号
    issued_on: datetime.date | None = None
    verify_url: str = ""  # verification QR; "" prints none
    payment_url: str = ""  # payment QR (R11.1)
    payment_notice_number: str = ""
    query_url: str = ""  # the party's case query (R19.1); "" prints none
    query_code: str = ""
    signatures: tuple[PrintSignature, ...] = ()
    refusal: str = ""  # printed on the party's signature line when the party refused (R9.2)
    unsigned_mark: str = ""  # printed on a line nobody signed, in the signed version
    approvals: tuple[PrintApproval, ...] = ()
    draft: bool = False  # preview: watermark "草稿"
    scan_note: str = ""


@dataclass(frozen=True)
class RenderedPdf:
    pdf: bytes
    pages: int
    # (page index, x1, y1, x2, y2) in PDF points, origin bottom-left: where the seal goes.
    seal_box: tuple[int, float, float, float, float] | None
