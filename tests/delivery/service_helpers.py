"""Shared pieces of the service tests (R10.1, R10.2): issued documents written as rows with
a real (small) PDF in the blob store — fast, for the many cases the modes need — signed
service receipts, proofs as uploads, AV records, and one call of ``record_service`` per
mode with everything that mode needs (a test then takes one thing away)."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from typing import Any

from django.utils import timezone
from pypdf import PdfWriter

from liuhen.core.blobs import store_blob
from liuhen.delivery.actions import service as service_actions
from liuhen.delivery.models import ServiceConsent, ServiceRecord
from liuhen.delivery.service import modes
from liuhen.documents.catalog import catalog
from liuhen.documents.models import DocumentFile, FilePurpose, Finalisation, IssuedDocument
from liuhen.media.models import AvRecord
from tests.fixtures.clock import hours_ago
from tests.fixtures.media import ingest_bytes

_serial = itertools.count(1)
PARTY = "盘锦市大洼区丰收农资经营部"
ADDRESS = "大洼区田家街道1号"


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": f"test document {next(_serial)}"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def issued_row(
    actor: Any,
    case: Any,
    form_code: str = "penalty_decision",
    *,
    issued_at: dt.datetime | None = None,
    number: str | None = None,
    data: dict[str, str] | None = None,
    supersedes: IssuedDocument | None = None,
    corrects: IssuedDocument | None = None,
    serves: IssuedDocument | None = None,
) -> IssuedDocument:
    """An issued document as ``documents.actions.issue`` leaves it, without rendering."""
    spec = catalog.get(form_code)
    issued = IssuedDocument.objects.create(
        case=case,
        unit=case.unit,
        form_code=spec.code,
        title=spec.title,
        number=number if number is not None else f"洼农（农药）罚〔2026〕{next(_serial)}号",
        data=data or {"party_name": PARTY},
        needs_signature=catalog.needs_signature(spec),
        served=spec.served,
        supersedes=supersedes,
        corrects=corrects,
        serves=serves,
        issued_by=actor,
        issued_at=issued_at or timezone.now(),
    )
    DocumentFile.objects.create(
        issued=issued,
        purpose=FilePurpose.ISSUED,
        blob=store_blob(io.BytesIO(pdf_bytes())),
        content_type="application/pdf",
        pages=1,
        sealed=spec.sealed,
        created_by=actor,
    )
    return issued


def signed_receipt(
    actor: Any, case: Any, mode_text: str = "直接送达", *, serves: IssuedDocument | None = None
) -> IssuedDocument:
    """A 送达回证 for ``serves`` the recipient signed (final, R9.1) noting ``mode_text``."""
    receipt = issued_row(
        actor,
        case,
        "service_receipt",
        number="",
        data={"party_name": PARTY, "mode": mode_text},
        serves=serves,
    )
    signed = DocumentFile.objects.create(
        issued=receipt,
        purpose=FilePurpose.SIGNED,
        blob=store_blob(io.BytesIO(pdf_bytes())),
        content_type="application/pdf",
        pages=1,
        created_by=actor,
    )
    Finalisation.objects.create(
        issued=receipt, how=Finalisation.How.SIGNED, file=signed, finalised_by=actor
    )
    return receipt


def upload(kind: str, name: str = "", content_type: str = "image/jpeg") -> modes.Upload:
    data = f"{kind} proof {next(_serial)}".encode() + bytes(32)
    return (kind, name or f"{kind}.jpg", content_type, data)


def av(actor: Any, name: str = "clip.mp4") -> AvRecord:
    """An AV record of ``actor`` (kind from the name: .mp4 video, .jpg photo, .m4a audio)."""
    data = f"service AV {next(_serial)}".encode() + bytes(64)
    return ingest_bytes(actor, data, name, captured_at=timezone.now() - dt.timedelta(hours=1))


def consent(actor: Any, case: Any, *channels: str) -> ServiceConsent:
    return service_actions.record_consent(
        actor,
        case,
        party_name=PARTY,
        channels=channels or ("fax", "email"),
        consented_on=timezone.localdate() - dt.timedelta(days=3),
        fax_number="0427-6888888",
        email="fengshou@example.cn",
        address=ADDRESS,
    )


def valid_kwargs(mode: str, actor: Any, case: Any, **overrides: Any) -> dict[str, Any]:
    """Everything ``record_service`` needs for a valid record of ``mode``."""
    base: dict[str, Any] = {
        "mode": mode,
        "recipient": PARTY,
        "address": ADDRESS,
        "served_at": hours_ago(2),
    }
    if mode == "direct":
        base["attachments"] = [upload("receipt", "回证扫描件.pdf", "application/pdf")]
    elif mode == "leaving":
        base["details"] = {"circumstances": "当事人拒绝签收，执法人员将文书留置于其经营场所。"}
        base["attachments"] = [upload("photo")]
    elif mode == "post":
        base["details"] = {
            "tracking_number": "1151234567890",
            "outcome": "received",
            "receipt_date": timezone.localdate().isoformat(),
        }
        base["attachments"] = [upload("posting_slip"), upload("return_receipt")]
    elif mode == "electronic":
        base["channel"] = "portal"
        base["attachments"] = [upload("screenshot", "下载记录.png", "image/png")]
    elif mode == "entrusted":
        base["details"] = {"agent": "田家街道办事处"}
        base["attachments"] = [
            upload("entrustment_letter", "委托书.pdf", "application/pdf"),
            upload("receipt", "回证扫描件.pdf", "application/pdf"),
        ]
    elif mode == "public_notice":
        base["details"] = {
            "reason": "受送达人下落不明，其他方式无法送达。",
            "method": "在当事人住所地及本局公告栏张贴",
            "process": "执法人员王明、张伟于当日张贴公告并拍照。",
        }
        base["attachments"] = [
            upload("notice_original", "公告.pdf", "application/pdf"),
            upload("posting_photo"),
        ]
    base.update(overrides)
    return base


def serve(actor: Any, issued: IssuedDocument, mode: str, **overrides: Any) -> ServiceRecord:
    return service_actions.record_service(
        actor, issued, **valid_kwargs(mode, actor, issued.case, **overrides)
    )


def local_input(moment: dt.datetime) -> str:
    """``moment`` as a datetime-local field shows it, in local time."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")
