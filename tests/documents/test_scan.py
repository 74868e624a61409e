"""Paper records (R3.2): a scanned document (PDF, JPEG or PNG) is uploaded as a text record of
its form, stored write-once with SHA-256 and SM3 like an issued one; anything else is
refused on the file field; only those who work the case upload."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
import weasyprint
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from liuhen.core.models import AuditEvent, Outcome
from liuhen.documents.models import FilePurpose, IssuedDocument, Origin
from tests.fixtures.documents import current_pdf

pytestmark = pytest.mark.django_db


def _pdf(pages: int) -> bytes:
    body = "".join(f"<p style='break-after: page'>page {n}</p>" for n in range(pages))
    return weasyprint.HTML(string=f"<style>@page {{ size: A4 }}</style>{body}").write_pdf()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 80), (250, 250, 240)).save(out, format="PNG")
    return out.getvalue()


def _scan_url(case: Any) -> str:
    return reverse("documents:scan", args=[case.pk])


def _upload(client: Any, case: Any, name: str, content: bytes, content_type: str, **fields: str):
    data = {
        "form_code": "inquiry_transcript",
        "number": "",
        "issued_on": "2026-09-01",
        "note": "现场手写笔录，当事人已签名",
        "file": SimpleUploadedFile(name, content, content_type=content_type),
        **fields,
    }
    return client.post(_scan_url(case), data)


def test_the_scan_page_offers_the_catalog(client, docs_storage, decided_case, officer_wang):
    client.force_login(officer_wang)
    text = client.get(_scan_url(decided_case) + "?form=rectification_order").content.decode()
    assert '<option value="inquiry_transcript">询问笔录</option>' in text
    assert '<option value="rectification_order" selected>责令改正通知书</option>' in text
    assert 'accept="application/pdf,image/jpeg,image/png' in text


def test_a_pdf_scan_is_stored_as_a_paper_record(client, docs_storage, decided_case, officer_wang):
    client.force_login(officer_wang)
    content = _pdf(pages=3)
    response = _upload(
        client,
        decided_case,
        "询问笔录.pdf",
        content,
        "application/pdf",
        form_code="rectification_order",
        number="洼农（农药）责改〔2026〕9号",
    )
    scan = IssuedDocument.objects.get(case=decided_case)
    assert response["Location"] == reverse("documents:issued", args=[scan.pk])
    assert scan.origin == Origin.PAPER and scan.form_code == "rectification_order"
    assert scan.title == "责令改正通知书" and scan.number == "洼农（农药）责改〔2026〕9号"
    assert scan.data == {"paper_issued_on": "2026-09-01", "note": "现场手写笔录，当事人已签名"}
    file = scan.files.get()
    assert file.purpose == FilePurpose.SCAN and file.content_type == "application/pdf"
    assert file.pages == 3 and current_pdf(scan) == content
    assert file.blob.sha256 == hashlib.sha256(content).hexdigest() and len(file.blob.sm3) == 64
    assert AuditEvent.objects.filter(action="document.scan", object_id=str(scan.pk)).exists()
    page = client.get(response["Location"]).content.decode()
    assert file.blob.sha256 in page and file.blob.sm3 in page and "现场手写笔录" in page
    download = client.get(reverse("documents:issued_file", args=[scan.pk, FilePurpose.SCAN]))
    # R21.1: the copy carries the viewer's watermark; the stored scan is as uploaded.
    assert download.content != content and download.content.startswith(b"%PDF-")
    assert current_pdf(scan) == content


def test_a_png_scan_is_one_page(client, docs_storage, decided_case, officer_wang):
    client.force_login(officer_wang)
    # The browser's type is not trusted: the bytes say PNG.
    _upload(client, decided_case, "scan.png", _png(), "application/octet-stream")
    file = IssuedDocument.objects.get(case=decided_case).files.get()
    assert file.content_type == "image/png" and file.pages == 1
    download = client.get(reverse("documents:issued_file", args=[file.issued_id, "scan"]))
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"].endswith(".png")


def test_a_text_file_is_refused_on_the_file_field(
    client, docs_storage, decided_case, officer_wang
) -> None:
    client.force_login(officer_wang)
    response = _upload(client, decided_case, "notes.txt", "手写笔录".encode(), "text/plain")
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["file"]
    assert not IssuedDocument.objects.exists()
    # A PDF that only says it is one is refused too.
    response = _upload(client, decided_case, "fake.pdf", b"%PDF-1.7 broken", "application/pdf")
    assert response.status_code == 400 and list(response.context["form"].errors) == ["file"]
    assert not IssuedDocument.objects.exists()


@pytest.mark.parametrize("who", ["supervisor_zheng", "reviewer_sun"])
def test_only_those_working_the_case_upload_scans(
    client, docs_storage, decided_case, who, request
) -> None:
    client.force_login(request.getfixturevalue(who))
    assert client.get(_scan_url(decided_case)).status_code == 403
    response = _upload(client, decided_case, "scan.png", _png(), "image/png")
    assert response.status_code == 403 and not IssuedDocument.objects.exists()


def test_a_case_of_another_unit_is_not_there_to_scan_into(
    client, docs_storage, decided_case, officer_li
) -> None:
    """Hidden: 404, not 403 — the case's existence is not revealed; each attempt audited."""
    client.force_login(officer_li)
    assert client.get(_scan_url(decided_case)).status_code == 404
    response = _upload(client, decided_case, "scan.png", _png(), "image/png")
    assert response.status_code == 404 and not IssuedDocument.objects.exists()
    denied = AuditEvent.objects.filter(action="document.scan", outcome=Outcome.DENIED)
    assert [(e.actor_name, e.object_id) for e in denied] == [
        ("officer_li", str(decided_case.pk))
    ] * 2


def test_the_unit_head_uploads_too(client, docs_storage, decided_case, officer_li, head_zhang):
    client.force_login(head_zhang)
    assert client.get(_scan_url(decided_case)).status_code == 200
    assert _upload(client, decided_case, "scan.png", _png(), "image/png").status_code == 302
