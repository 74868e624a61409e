"""The officer's document screens (issue 5 §2, R6.1): picking a form on the case page, the
draft form (pre-filled, required fields marked and enforced at issue only, errors on the
fields), preview, issue, the issued page with its digests and downloads, and who may do
what. Issued documents are write-once: a PUT is 405 and audited."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from liuhen.cases import numbering
from liuhen.core.models import AuditEvent, Outcome
from liuhen.documents.actions import drafting, issuing
from liuhen.documents.catalog import catalog
from liuhen.documents.models import (
    Document,
    DocumentStatus,
    FilePurpose,
    IssuedDocument,
)
from liuhen.documents.spec import FieldType
from tests.fixtures.documents import (
    ORDER_VALUES,
    PARTY_NAME,
    current_pdf,
    draft_url,
    form_values,
    issue_form,
    issued_url,
    pdf_text,
)

pytestmark = pytest.mark.django_db

ORDER = "rectification_order"
ORDER_TITLE = "责令改正通知书"


def _new_url(case: Any) -> str:
    return reverse("documents:new", args=[case.pk])


def _create(client: Any, case: Any, code: str = ORDER) -> Document:
    response = client.post(_new_url(case), {"form": code})
    assert response.status_code == 302, response.content[:500]
    document = Document.objects.get(case=case, form_code=code, status=DocumentStatus.DRAFT)
    assert response["Location"] == draft_url(document)
    return document


def _streamed(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_case_page_offers_the_forms_of_the_case_stage_first(
    client, decided_case, officer_wang
) -> None:
    client.force_login(officer_wang)
    text = client.get(reverse("cases:detail", args=[decided_case.pk])).content.decode()
    assert 'data-section="documents"' in text and 'data-testid="new-document-picker"' in text
    stages = re.findall(r'<optgroup label="[^"]*" data-stage="([a-z]*)"', text)
    assert stages[0] == "decision" and "investigation" in stages
    assert reverse("documents:scan", args=[decided_case.pk]) in text
    assert 'data-testid="no-issued"' in text


def test_create_save_and_issue_a_served_form(client, installed_seal, decided_case, officer_wang):
    client.force_login(officer_wang)
    document = _create(client, decided_case)
    page = client.get(draft_url(document))
    text = page.content.decode()
    # Pre-filled from the case; required fields marked; dates in date pickers.
    assert PARTY_NAME in text
    form = page.context["form"]
    assert {"party_name", "facts", "basis", "correct_by"} <= form.required_names
    assert text.count('data-testid="required-mark"') == len(form.required_names)
    # Marked, not enforced by the browser: a half-filled draft must still save.
    assert not re.search(r"<(input|textarea|select)[^>]*\srequired[\s>]", text)
    today = timezone.localdate().isoformat()
    assert f'type="date" name="issued_on" value="{today}"' in text
    assert 'type="date" name="correct_by"' in text

    saved = client.post(draft_url(document), form_values(page, do="save", **ORDER_VALUES))
    assert saved.status_code == 302
    document.refresh_from_db()
    assert document.data["facts"] == ORDER_VALUES["facts"]
    assert document.data["issued_on"] == today  # the picker's value, printed in Chinese

    expected_number = numbering.peek("责改", "农药")
    page = client.get(draft_url(document))
    issued_response = client.post(draft_url(document), form_values(page, do="issue"))
    issued = IssuedDocument.objects.get(document=document)
    assert issued_response["Location"] == issued_url(issued)
    document.refresh_from_db()
    assert document.status == DocumentStatus.ISSUED
    # The 文号 from the numbering series; the PDF sealed and stored with SHA-256 and SM3.
    assert issued.number == expected_number and issued.version == 1
    file = issued.files.get()
    assert file.purpose == FilePurpose.ISSUED and file.sealed and file.pages >= 1
    assert len(file.blob.sha256) == 64 and len(file.blob.sm3) == 64
    text = pdf_text(current_pdf(issued)).replace("\n", "")
    assert ORDER_TITLE in text and PARTY_NAME in text and issued.number in text

    page = client.get(issued_url(issued)).content.decode()
    for shown in (issued.number, file.blob.sha256, file.blob.sm3, issued.verify_code, "王明"):
        assert html.escape(shown) in page
    assert 'data-testid="sealed"' in page


def test_required_field_left_empty_refuses_the_issue_on_that_field(
    client, installed_seal, decided_case, officer_wang
) -> None:
    client.force_login(officer_wang)
    document = _create(client, decided_case)
    page = client.get(draft_url(document))
    values = form_values(page, do="issue", **{**ORDER_VALUES, "facts": ""})
    response = client.post(draft_url(document), values)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["facts"] and "违法事实" in errors["facts"][0]
    assert 'data-testid="field-error"' in response.content.decode()
    assert not IssuedDocument.objects.exists()
    document.refresh_from_db()
    # The rest was saved: a draft keeps what was typed, only the issue was refused.
    assert document.status == DocumentStatus.DRAFT and document.data["basis"]
    # Saving the same half-filled draft is fine (required is enforced at issue only).
    assert client.post(draft_url(document), {**values, "do": "save"}).status_code == 302


def test_a_wrong_type_is_refused_on_save_on_its_field(client, decided_case, officer_wang):
    client.force_login(officer_wang)
    document = _create(client, decided_case)
    page = client.get(draft_url(document))
    response = client.post(draft_url(document), form_values(page, do="save", correct_by="下周"))
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["correct_by"]
    # Shown as typed (a text box: a date picker could not show it), not lost.
    assert 'name="correct_by" value="下周"' in response.content.decode()


def test_preview_is_the_saved_draft_as_an_inline_pdf(client, decided_case, officer_wang):
    client.force_login(officer_wang)
    document = _create(client, decided_case)
    page = client.get(draft_url(document))
    response = client.post(draft_url(document), form_values(page, do="preview", **ORDER_VALUES))
    preview_url = reverse("documents:preview", args=[document.pk])
    assert response["Location"] == preview_url
    pdf = client.get(preview_url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("inline;")
    text = pdf_text(pdf.content).replace("\n", "")
    assert "草稿" in text and PARTY_NAME in text and "未取得农药登记证" in text
    assert not IssuedDocument.objects.exists()


def test_discarding_a_draft(client, decided_case, officer_wang):
    client.force_login(officer_wang)
    document = _create(client, decided_case)
    response = client.post(draft_url(document), {"do": "discard"})
    assert response["Location"] == reverse("cases:detail", args=[decided_case.pk])
    document.refresh_from_db()
    assert document.status == DocumentStatus.DISCARDED
    assert AuditEvent.objects.filter(action="document.discard", object_id=str(document.pk)).exists()


def test_download_streams_the_pdf_with_its_name_and_is_audited(client, issued_order, officer_wang):
    client.force_login(officer_wang)
    url = reverse("documents:issued_file", args=[issued_order.pk, FilePurpose.ISSUED])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''" in disposition
    assert "%E8%B4%A3%E4%BB%A4" in disposition  # 责令, RFC 5987-encoded
    # R21.1: the copy handed out carries the viewer's watermark over the stored pages.
    copy = response.content
    assert copy != current_pdf(issued_order) and "王明" in pdf_text(copy)
    assert pdf_text(current_pdf(issued_order)).split("\n")[0] in pdf_text(copy)
    inline = client.get(url + "?inline=1")
    assert inline["Content-Disposition"].startswith("inline;")
    downloads = AuditEvent.objects.filter(
        action="document.download", object_id=str(issued_order.pk)
    )
    assert downloads.count() == 2
    missing = reverse("documents:issued_file", args=[issued_order.pk, FilePurpose.SIGNED])
    assert client.get(missing).status_code == 404


@pytest.mark.parametrize("method", ["put", "patch", "delete", "post"])
def test_writing_to_an_issued_document_is_405_and_audited(
    client, issued_order, officer_wang, method
) -> None:
    client.force_login(officer_wang)
    for url in (
        issued_url(issued_order),
        reverse("documents:issued_file", args=[issued_order.pk, FilePurpose.ISSUED]),
    ):
        response = getattr(client, method)(url, data=b"x", content_type="application/pdf")
        assert response.status_code == 405
        assert set(response["Allow"].split(", ")) == {"GET", "HEAD"}
    attempts = AuditEvent.objects.filter(action="document.modify", object_id=str(issued_order.pk))
    assert attempts.count() == 2
    assert {event.outcome for event in attempts} == {Outcome.DENIED}
    assert attempts.first().details["attempted"].startswith(method.upper())
    assert attempts.first().case_id == issued_order.case_id


def _every_page(case: Any, document: Any, issued: Any) -> list[tuple[str, str, dict[str, str]]]:
    return [
        ("get", _new_url(case), {}),
        ("post", _new_url(case), {"form": ORDER}),
        ("get", reverse("documents:scan", args=[case.pk]), {}),
        ("get", draft_url(document), {}),
        ("post", draft_url(document), {"do": "save", **ORDER_VALUES}),
        ("get", reverse("documents:preview", args=[document.pk]), {}),
        ("get", issued_url(issued), {}),
        ("get", reverse("documents:issued_file", args=[issued.pk, FilePurpose.ISSUED]), {}),
    ]


def test_an_officer_of_another_unit_finds_nothing_and_is_audited(
    client, issued_order, decided_case, officer_wang, officer_li
) -> None:
    """The case and its documents are hidden from another unit's officer: every page answers
    404 (their existence is not revealed), and each attempt is audited as a denial."""
    document = drafting.create_draft(officer_wang, decided_case, ORDER)
    drafts = Document.objects.filter(case=decided_case).count()
    client.force_login(officer_li)
    for method, url, data in _every_page(decided_case, document, issued_order):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (method, url)
    assert Document.objects.filter(case=decided_case).count() == drafts
    document.refresh_from_db()
    assert document.data.get("facts", "") == ""
    assert not AuditEvent.objects.filter(action="document.download", outcome=Outcome.OK).exists()
    denied = AuditEvent.objects.filter(actor_name="officer_li", outcome=Outcome.DENIED)
    assert [(e.action, e.object_id) for e in denied.order_by("seq")] == [
        # The new-document page fetches the case as a reader first: 404, audited as a view.
        ("document.view", str(decided_case.pk)),
        ("document.view", str(decided_case.pk)),
        ("document.scan", str(decided_case.pk)),
        ("document.view", str(document.pk)),
        ("document.view", str(document.pk)),
        ("document.view", str(document.pk)),
        ("document.view", str(issued_order.pk)),
        ("document.download", str(issued_order.pk)),
    ]


def test_a_supervisor_reads_but_does_not_draft(
    client, issued_order, decided_case, officer_wang, supervisor_zheng
) -> None:
    document = drafting.create_draft(officer_wang, decided_case, ORDER)
    client.force_login(supervisor_zheng)
    expected = [403, 403, 403, 200, 403, 200, 200, 200]
    seen = [
        getattr(client, method)(url, data).status_code
        for method, url, data in _every_page(decided_case, document, issued_order)
    ]
    assert seen == expected
    page = client.get(draft_url(document)).content.decode()
    assert 'data-testid="do-save"' not in page and 'data-testid="do-issue"' not in page
    assert "disabled" in page  # the fields are shown read-only
    case_page = client.get(reverse("cases:detail", args=[decided_case.pk])).content.decode()
    assert 'data-section="documents"' in case_page and html.escape(issued_order.number) in case_page
    assert 'data-testid="new-document-picker"' not in case_page
    issued_page = client.get(issued_url(issued_order)).content.decode()
    assert 'data-testid="do-remake"' not in issued_page


def _case_page_queries(client: Any, case: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    return len(queries)


def test_the_case_section_lists_documents_in_constant_queries(
    client, issued_order, decided_case, officer_wang
) -> None:
    client.force_login(officer_wang)
    drafting.create_draft(officer_wang, decided_case, "inquiry_transcript")
    _case_page_queries(client, decided_case)  # the first visit fills per-process caches
    few = _case_page_queries(client, decided_case)
    for _ in range(2):
        issue_form(officer_wang, decided_case, ORDER, **ORDER_VALUES)
        drafting.create_draft(officer_wang, decided_case, ORDER)
    many = _case_page_queries(client, decided_case)
    assert many == few
    text = client.get(reverse("cases:detail", args=[decided_case.pk])).content.decode()
    assert text.count('data-issued="') == 3 and text.count('data-document="') == 3
    assert html.escape(issued_order.number) in text
    assert issued_url(issued_order) in text


def test_every_form_of_the_catalog_opens_as_a_draft(
    client, docs_storage, decided_case, officer_wang
):
    """R6.1: each form — national and bureau — gets its screen: a widget per field, the
    required ones marked, dates as pickers, item tables with their columns explained."""
    client.force_login(officer_wang)
    for spec in catalog.all_forms():
        document = drafting.create_draft(officer_wang, decided_case, spec.code)
        response = client.get(draft_url(document))
        assert response.status_code == 200, spec.code
        text = response.content.decode()
        for field in spec.fields:
            assert f'name="{field.name}"' in text, (spec.code, field.name)
        assert text.count('data-testid="required-mark"') == sum(f.required for f in spec.fields)
        for field in spec.fields:
            if field.type == FieldType.ITEMS:
                assert " | ".join(field.choices) in text, spec.code
            if field.type == FieldType.CHOICE:
                assert f'<select name="{field.name}"' in text, spec.code


def _filled(spec: Any, data: dict[str, str]) -> dict[str, str]:
    """``data`` with every empty required field typed in (a date where a date is due)."""
    typed = {FieldType.DATE: "2026-11-28", FieldType.DATETIME: "2026-11-28T10:30"}
    return {
        **data,
        **{
            f.name: f.choices[0] if f.choices else typed.get(f.type, "已核实")
            for f in spec.fields
            if f.required and not data.get(f.name)
        },
    }


def test_a_document_the_party_signs_shows_its_signature_state_and_the_signing_link(
    client, docs_storage, decided_case, officer_wang, supervisor_zheng
) -> None:
    spec = catalog.get("inquiry_transcript")
    draft = drafting.create_draft(officer_wang, decided_case, spec.code)
    draft = drafting.save_draft(officer_wang, draft, _filled(spec, draft.data))
    transcript = issuing.issue(officer_wang, draft)
    assert transcript.needs_signature
    client.force_login(officer_wang)
    page = client.get(issued_url(transcript)).content.decode()
    assert 'data-testid="not-final"' in page and 'data-testid="final"' not in page
    assert f'href="/documents/issued/{transcript.pk}/sign/"' in page
    client.force_login(supervisor_zheng)
    page = client.get(issued_url(transcript)).content.decode()
    assert 'data-testid="not-final"' in page and 'data-testid="sign-link"' not in page
    case_page = client.get(reverse("cases:detail", args=[decided_case.pk])).content.decode()
    row = case_page[case_page.index(f'data-issued="{transcript.pk}"') :]
    assert 'data-testid="signature-cell"><span class="badge text-bg-warning">' in row
