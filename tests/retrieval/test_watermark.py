"""R21.1: a PDF or image opened or downloaded carries who took it, their unit, when, and
the 调阅 request it was taken under; the stored file and its digest stay as they were."""

from __future__ import annotations

import hashlib
import io
import subprocess
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from liuhen.documents import files
from liuhen.documents.models import FilePurpose, IssuedDocument
from liuhen.retrieval.actions import requests as retrieval

pytestmark = pytest.mark.django_db


def _pdftotext(pdf: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return done.stdout.decode()


def _downloaded(response: Any) -> bytes:
    return response.content if not response.streaming else b"".join(response.streaming_content)


def _file_url(issued: IssuedDocument, purpose: str = "") -> str:
    file = files.current_file(issued)
    return reverse("documents:issued_file", args=[issued.pk, purpose or file.purpose])


def test_a_downloaded_pdf_names_the_viewer_and_the_stored_file_is_untouched(
    client, issued_order, officer_wang
):
    file = files.current_file(issued_order)
    stored = files.read_blob(file.blob_id)
    client.force_login(officer_wang)
    response = client.get(_file_url(issued_order))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    copy = _downloaded(response)
    text = _pdftotext(copy)
    assert "王明" in text and "种植业执法科" in text
    assert "副本" in text  # the copy says it is one: the seal is verified on the original
    assert copy != stored
    assert hashlib.sha256(files.read_blob(file.blob_id)).hexdigest() == file.blob_id
    assert files.read_blob(file.blob_id) == stored


def test_a_copy_under_a_grant_names_the_request(client, issued_order, officer_li, head_zhang):
    filed = retrieval.file_request(
        officer_li, kind="document", pk=issued_order.pk, reason="比对同类案件文书"
    )
    retrieval.grant(head_zhang, filed)
    client.force_login(officer_li)
    copy = _downloaded(client.get(_file_url(issued_order)))
    text = _pdftotext(copy)
    assert "李强" in text and filed.number in text


def test_a_scanned_image_is_stamped_and_the_stored_scan_is_untouched(
    client, docs_storage, decided_case, officer_wang
):
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (250, 250, 240)).save(out, format="PNG")
    original = out.getvalue()
    client.force_login(officer_wang)
    client.post(
        reverse("documents:scan", args=[decided_case.pk]),
        {
            "form_code": "inquiry_transcript",
            "number": "",
            "issued_on": "2026-09-01",
            "note": "现场手写笔录",
            "file": SimpleUploadedFile("scan.png", original, content_type="image/png"),
        },
    )
    scan = IssuedDocument.objects.get(case=decided_case)
    response = client.get(reverse("documents:issued_file", args=[scan.pk, FilePurpose.SCAN]))
    assert response["Content-Type"] == "image/png"
    stamped = Image.open(io.BytesIO(_downloaded(response)))
    assert stamped.size == (400, 300)
    assert _downloaded(response) != original
    assert files.read_blob(files.current_file(scan).blob_id) == original
