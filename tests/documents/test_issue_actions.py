"""Issuing through the screens (issue 5 §2): an internal form waits for its approval, whose
opinions, names and dates are printed on it (R7.1); a wrong document is remade before service
(a new version, same 文号) and corrected in writing 补正 after service; the stored files stay
referenced for the blob store (R18.4)."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.models import ApprovalStatus
from liuhen.core.blob_refs import is_referenced
from liuhen.delivery.models import ServiceMode, ServiceRecord
from liuhen.documents.actions import approval, drafting
from liuhen.documents.blob_refs import references_blob
from liuhen.documents.models import Document, DocumentStatus, IssuedDocument
from tests.fixtures.documents import (
    ORDER_VALUES,
    PARTY_NAME,
    current_pdf,
    draft_url,
    form_values,
    issued_url,
    pdf_text,
)

pytestmark = pytest.mark.django_db

OPINION_FORM = "filing_revocation_approval"  # 撤销立案审批表: internal, the generic "document" step
OPINION_VALUES = {"reason": "经查，当事人不存在违法行为，依据《农业行政处罚程序规定》撤销立案。"}


def _post(client: Any, document: Any, do: str, **typed: str) -> Any:
    page = client.get(draft_url(document))
    return client.post(draft_url(document), form_values(page, do=do, **typed))


def _serve(issued: IssuedDocument, officer: Any) -> ServiceRecord:
    """Service took effect (R10.1) — recorded directly: the service screens are not this test's."""
    now = timezone.now()
    return ServiceRecord.objects.create(
        issued=issued,
        case=issued.case,
        mode=ServiceMode.DIRECT,
        recipient=PARTY_NAME,
        served_at=now,
        served_on=timezone.localdate(now),
        recorded_by=officer,
    )


def test_internal_form_is_issued_only_after_approval_with_the_opinions_printed(
    client, docs_storage, decided_case, officer_wang, head_zhang, agency_head_liu
) -> None:
    client.force_login(officer_wang)
    document = drafting.create_draft(officer_wang, decided_case, OPINION_FORM)
    page = client.get(draft_url(document)).content.decode()
    assert 'data-testid="do-submit"' in page and 'data-testid="no-approval"' in page
    assert 'data-testid="issue-hint"' in page  # the Issue button waits for the approval

    refused = _post(client, document, "issue", **OPINION_VALUES)
    assert refused.status_code == 400 and not IssuedDocument.objects.exists()
    with translation.override("zh-hans"):
        expected = gettext(
            "This internal form can be issued only after its approval "
            "(basis: the recording rules, Art. 7)."
        )
    assert list(refused.context["form"].non_field_errors()) == [expected]

    submitted = _post(client, document, "submit", **OPINION_VALUES, note="请审批")
    assert submitted.status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.PENDING and document.approval is not None
    page = client.get(draft_url(document)).content.decode()
    assert 'data-status="pending"' in page and 'data-testid="do-submit"' not in page

    for person, opinion in ((head_zhang, "同意，报局长审批。"), (agency_head_liu, "同意处罚。")):
        request = document.approval
        request.refresh_from_db()
        approval_actions.decide(person, request, approve=True, opinion=opinion)
    document.refresh_from_db()
    assert document.status == DocumentStatus.APPROVED
    page = client.get(draft_url(document)).content.decode()
    assert 'data-status="approved"' in page and page.count('data-testid="approval-opinion"') == 2
    assert "同意，报局长审批。" in page and "张伟" in page and "刘建国" in page
    assert 'data-testid="issue-hint"' not in page

    issued_response = _post(client, document, "issue")
    issued = IssuedDocument.objects.get(document=document)
    assert issued_response["Location"] == issued_url(issued)
    text = pdf_text(current_pdf(issued)).replace("\n", "")
    assert "撤销立案审批表" in text and PARTY_NAME in text
    for printed in ("同意，报局长审批。", "同意处罚。", "张伟", "刘建国"):
        assert printed in text


def test_a_rejected_internal_form_goes_back_to_draft_and_shows_why(
    client, docs_storage, decided_case, officer_wang, head_zhang
) -> None:
    client.force_login(officer_wang)
    document = drafting.create_draft(officer_wang, decided_case, OPINION_FORM)
    _post(client, document, "submit", **OPINION_VALUES)
    document.refresh_from_db()
    approval_actions.decide(
        head_zhang, document.approval, approve=False, opinion="证据不足，请补充。"
    )
    document.refresh_from_db()
    assert document.status == DocumentStatus.DRAFT and document.approval is None
    page = client.get(draft_url(document)).content.decode()
    assert 'data-status="rejected"' in page and "证据不足，请补充。" in page
    assert 'data-testid="do-submit"' in page  # revised and asked again


def test_remake_before_service_is_a_new_version_with_the_same_number(
    client, issued_order, decided_case, officer_wang
) -> None:
    client.force_login(officer_wang)
    page = client.get(issued_url(issued_order)).content.decode()
    assert 'data-testid="do-remake"' in page and 'data-testid="do-correct"' not in page
    response = client.post(
        reverse("documents:new", args=[decided_case.pk]), {"supersedes": issued_order.pk}
    )
    remake = Document.objects.get(supersedes=issued_order)
    assert response["Location"] == draft_url(remake)
    assert remake.data["facts"] == ORDER_VALUES["facts"]  # starts from the issued values
    assert 'data-testid="remake-of"' in client.get(draft_url(remake)).content.decode()

    _post(client, remake, "issue", requirement="立即停止销售，三日内将剩余农药退回供货商。")
    version_2 = IssuedDocument.objects.get(document=remake)
    assert version_2.version == 2 and version_2.number == issued_order.number
    assert version_2.supersedes == issued_order
    assert "三日内" in pdf_text(current_pdf(version_2))
    old_page = client.get(issued_url(issued_order)).content.decode()
    assert 'data-testid="replaced-by"' in old_page and issued_url(version_2) in old_page
    assert 'data-testid="do-remake"' not in old_page  # replaced already
    new_page = client.get(issued_url(version_2)).content.decode()
    assert 'data-testid="replaces"' in new_page and 'data-testid="issued-version">2' in new_page


def test_after_service_no_remake_but_a_written_correction(
    client, issued_order, decided_case, officer_wang
) -> None:
    client.force_login(officer_wang)
    _serve(issued_order, officer_wang)
    page = client.get(issued_url(issued_order)).content.decode()
    assert 'data-testid="served"' in page
    assert 'data-testid="do-remake"' not in page and 'data-testid="do-correct"' in page

    new_url = reverse("documents:new", args=[decided_case.pk])
    refused = client.post(new_url, {"supersedes": issued_order.pk}, follow=True)
    assert not Document.objects.filter(supersedes=issued_order).exists()
    assert "补正" in refused.content.decode()  # the message names the way to go

    response = client.post(new_url, {"corrects": issued_order.pk})
    correction = Document.objects.get(corrects=issued_order)
    assert response["Location"] == draft_url(correction)
    assert correction.form_code == "document_correction"
    assert correction.data["original_number"] == issued_order.number
    assert correction.data["party_name"] == PARTY_NAME
    _post(
        client,
        correction,
        "issue",
        corrected_item="改正期限",
        corrected_text="改正期限更正为2027年1月15日。",
    )
    issued_correction = IssuedDocument.objects.get(document=correction)
    assert issued_correction.corrects == issued_order
    assert issued_correction.number and issued_correction.number != issued_order.number
    text = pdf_text(current_pdf(issued_correction)).replace("\n", "")
    assert "文书补正书" in text and issued_order.number in text
    original = client.get(issued_url(issued_order)).content.decode()
    assert 'data-testid="corrected-by"' in original and issued_url(issued_correction) in original
    assert (
        html.escape(issued_order.number)
        in client.get(issued_url(issued_correction)).content.decode()
    )


def test_issued_files_seal_image_and_proofs_keep_their_blobs(issued_order, installed_seal):
    file_blob = issued_order.files.get().blob_id
    assert references_blob(file_blob, {}) and is_referenced(file_blob)
    assert references_blob(installed_seal.image_id, {})
    assert not references_blob("0" * 64, {})
    # A caller letting go of the rows in its transaction does not count them.
    file_id = issued_order.files.get().pk
    assert not references_blob(file_blob, {"documents.documentfile": [file_id]})


def test_draft_approval_state_is_listed_on_the_case_page(
    client, docs_storage, decided_case, officer_wang
) -> None:
    client.force_login(officer_wang)
    document = drafting.create_draft(officer_wang, decided_case, OPINION_FORM)
    document = drafting.save_draft(officer_wang, document, {**document.data, **OPINION_VALUES})
    request = approval.submit_for_approval(officer_wang, document)
    assert request.status == ApprovalStatus.PENDING
    text = client.get(reverse("cases:detail", args=[decided_case.pk])).content.decode()
    assert f'data-document="{document.pk}"' in text and draft_url(document) in text


def test_a_form_of_a_case_step_is_issued_once_that_step_is_approved(
    client, docs_storage, decided_case, officer_wang
) -> None:
    """行政处罚决定审批表 is approved by the case's own "decision" step (R7.1): no second
    request, and the opinions of that step are printed."""
    client.force_login(officer_wang)
    document = drafting.create_draft(officer_wang, decided_case, "decision_approval")
    page = client.get(draft_url(document)).content.decode()
    assert 'data-testid="case-step-note"' in page and 'data-testid="do-submit"' not in page
    assert 'data-status="approved"' in page and "张伟" in page and "刘建国" in page
    assert 'data-testid="issue-hint"' not in page
    response = _post(
        client,
        document,
        "issue",
        facts="销售未取得农药登记证的农药10瓶，货值金额800元。",
        basis="《农药管理条例》第五十五条",
        statement="当事人放弃陈述、申辩。",
    )
    issued = IssuedDocument.objects.get(document=document)
    assert response["Location"] == issued_url(issued)
    text = pdf_text(current_pdf(issued)).replace("\n", "")
    assert "行政处罚决定审批表" in text and "张伟" in text and "刘建国" in text
