"""R10.1: a service receipt 送达回证 is tied to the document it serves. The service form
drafts the receipt for the document being served (its title, 文号 and party filled in),
offers exactly that document's signed receipts, and says what is missing and where to do
it; the receipt and the document show each other."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from liuhen.core.models import AuditEvent, Outcome
from liuhen.delivery.service import modes
from liuhen.documents.actions import drafting
from liuhen.documents.models import Document
from tests.delivery.service_helpers import PARTY, issued_row, serve, signed_receipt, upload

pytestmark = pytest.mark.django_db

ADDRESS = "大洼区田家街道1号"


@pytest.fixture
def decision(officer_wang, numbered_case_a):
    return issued_row(
        officer_wang,
        numbered_case_a,
        number="洼农（农药）罚〔2026〕7号",
        data={"party_name": PARTY, "party_address": ADDRESS},
    )


def _receipt_options(html: str) -> list[str]:
    found = re.findall(r'<select name="direct__receipt".*?</select>', html, re.S)
    if not found:
        return []
    return [value for value in re.findall(r'<option value="([^"]*)"', found[0]) if value]


def test_a_receipt_of_another_document_does_not_prove_the_service(
    officer_wang, numbered_case_a, decision
):
    notice = issued_row(officer_wang, numbered_case_a, "advance_notice")
    of_notice = signed_receipt(officer_wang, numbered_case_a, serves=notice)
    with pytest.raises(ValidationError) as caught:
        serve(officer_wang, decision, "direct", attachments=[], receipt=of_notice)
    [message] = caught.value.message_dict["receipt"]
    assert "另一份文书" in message and decision.number in message
    of_decision = signed_receipt(officer_wang, numbered_case_a, serves=decision)
    assert serve(officer_wang, decision, "direct", attachments=[], receipt=of_decision).receipt


def test_the_form_offers_exactly_the_receipts_of_the_document(
    client, officer_wang, numbered_case_a, decision
):
    notice = issued_row(officer_wang, numbered_case_a, "advance_notice")
    signed_receipt(officer_wang, numbered_case_a, serves=notice)
    of_decision = signed_receipt(officer_wang, numbered_case_a, serves=decision)
    client.force_login(officer_wang)
    html = client.get(f"/delivery/serve/{decision.pk}/").content.decode()
    assert _receipt_options(html) == [str(of_decision.pk)]
    assert 'data-state="signed"' in html
    # The notice has a receipt of its own only: none of the decision's is offered there.
    html = client.get(f"/delivery/serve/{notice.pk}/").content.decode()
    assert str(of_decision.pk) not in _receipt_options(html)


def test_the_form_drafts_the_receipt_for_the_document(
    client, officer_wang, numbered_case_a, decision
):
    client.force_login(officer_wang)
    html = client.get(f"/delivery/serve/{decision.pk}/").content.decode()
    # No receipt yet: no empty drop-down, but what to do and the button that does it.
    assert _receipt_options(html) == [] and 'name="direct__receipt"' not in html
    assert 'data-state="none"' in html and "尚无送达回证" in html
    assert f'formaction="/delivery/serve/{decision.pk}/receipt/"' in html

    response = client.post(
        f"/delivery/serve/{decision.pk}/receipt/",
        {"mode": "direct", "receipt_mode": "direct", "recipient": "张三", "address": ""},
    )
    draft = Document.objects.get(case=numbered_case_a, form_code="service_receipt")
    assert response.status_code == 302 and response.url == f"/documents/{draft.pk}/"
    assert draft.serves == decision
    assert draft.data["documents"] == f"行政处罚决定书|{decision.number}"
    assert draft.data["mode"] == "直接送达"
    assert draft.data["party_name"] == "张三"  # as typed on the service form
    assert draft.data["place"] == ADDRESS  # the party's address on the document served
    event = AuditEvent.objects.get(action="document.draft", object_id=str(draft.pk))
    assert event.details["serves"] == decision.pk

    # Back on the service form: the draft is the next step, with its link.
    html = client.get(f"/delivery/serve/{decision.pk}/").content.decode()
    assert 'data-state="draft"' in html and f'href="/documents/{draft.pk}/"' in html


def test_an_issued_unsigned_receipt_sends_to_the_signing_screen(
    client, officer_wang, numbered_case_a, decision
):
    unsigned = issued_row(officer_wang, numbered_case_a, "service_receipt", serves=decision)
    client.force_login(officer_wang)
    html = client.get(f"/delivery/serve/{decision.pk}/").content.decode()
    assert 'data-state="unsigned"' in html
    assert f'href="/documents/issued/{unsigned.pk}/sign/"' in html


def test_a_receipt_serves_only_a_served_document_of_its_case(
    officer_wang, numbered_case_a, case_a, decision
):
    transcript = issued_row(officer_wang, numbered_case_a, "inquiry_transcript")
    with pytest.raises(ValidationError):
        drafting.create_draft(officer_wang, numbered_case_a, "service_receipt", serves=transcript)
    with pytest.raises(ValidationError):
        drafting.create_draft(officer_wang, case_a, "service_receipt", serves=decision)
    with pytest.raises(ValidationError):
        drafting.create_draft(officer_wang, numbered_case_a, "inquiry_transcript", serves=decision)


def test_drafting_the_receipt_is_refused_to_whoever_does_not_work_the_case(
    client, officer_li, decision
):
    client.force_login(officer_li)
    response = client.post(f"/delivery/serve/{decision.pk}/receipt/", {"receipt_mode": "direct"})
    assert response.status_code == 404
    assert not Document.objects.filter(form_code="service_receipt").exists()
    assert AuditEvent.objects.filter(
        outcome=Outcome.DENIED, object_id=str(decision.pk), action="service.record"
    ).exists()


def test_the_receipt_and_the_document_show_each_other(
    client, officer_wang, numbered_case_a, decision
):
    receipt = signed_receipt(officer_wang, numbered_case_a, serves=decision)
    record = serve(officer_wang, decision, "direct", attachments=[upload("receipt")])
    client.force_login(officer_wang)
    html = client.get(f"/documents/issued/{decision.pk}/").content.decode()
    assert 'data-testid="issued-receipts"' in html
    assert f'href="/documents/issued/{receipt.pk}/"' in html
    html = client.get(f"/documents/issued/{receipt.pk}/").content.decode()
    assert 'data-testid="receipt-serves"' in html
    assert f'href="/documents/issued/{decision.pk}/"' in html
    assert f'href="/delivery/serve/{decision.pk}/"' in html
    assert record.issued == decision
    assert list(modes.receipts_of(decision)) == [receipt]
