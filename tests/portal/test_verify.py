"""Acceptance (R18.2, issue 5 §6): a sealed 行政处罚决定书 issued through the actions validates
with pyHanko and fails after one changed byte; the public verification page (no login)
reports the original upload as matching and the tampered one as not, and shows no party."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.actions import decisions as decision_actions
from liuhen.cases.actions.registration import link_party
from liuhen.cases.models import Stage
from liuhen.core.models import AuditEvent
from liuhen.documents import files
from liuhen.documents.actions import drafting, issuing
from liuhen.documents.models import FilePurpose, IssuedDocument
from liuhen.documents.seal import sealing
from liuhen.portal import forms as verify_forms
from liuhen.subjects import actions as subject_actions
from liuhen.subjects.identifiers import resident_id_check_char
from tests.factories import CaseFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_font_cache")]

PARTY = "张三丰"
RESIDENT_ID = "21110419850315123" + resident_id_check_char("21110419850315123")


@pytest.fixture
def decided_case_of_zhang_sanfeng(unit_a, officer_wang, head_zhang, agency_head_liu):
    """An ordinary case of 张三丰 with its penalty decision, made through the actions."""
    case = CaseFactory(unit=unit_a, officers=[officer_wang], stage=Stage.DECISION, field="农药")
    party = subject_actions.create_subject(
        officer_wang, kind="person", name=PARTY, resident_id=RESIDENT_ID, address="大洼区1号"
    )
    link_party(officer_wang, case, party)
    decision_actions.record_advance_notice(
        officer_wang,
        case,
        notified_at=timezone.now(),
        notified_to=PARTY,
        method="直接送达",
        penalty_kinds=["fine"],
        proposed_fine_fen=5000_00,
    )
    request = approval_actions.request_approval(officer_wang, case, "decision")
    for person in (head_zhang, agency_head_liu):
        request.refresh_from_db()
        approval_actions.decide(person, request, approve=True, opinion="同意")
    decision_actions.record_decision(
        officer_wang,
        case,
        penalty_kinds=["fine"],
        fine_fen=5000_00,
        facts="当事人销售未取得农药登记证的农药。",
        basis="《农药管理条例》第五十五条",
    )
    return case


def _issue_decision(officer, case, **values) -> IssuedDocument:
    draft = drafting.create_draft(officer, case, "penalty_decision")
    draft = drafting.save_draft(officer, draft, {**draft.data, **values})
    return issuing.issue(officer, draft)


@pytest.fixture
def decision_doc(seal_from_demo_p12, decided_case_of_zhang_sanfeng, officer_wang) -> IssuedDocument:
    return _issue_decision(officer_wang, decided_case_of_zhang_sanfeng)


def _pdf(issued: IssuedDocument) -> bytes:
    return files.read_blob(issued.files.get(purpose=FilePurpose.ISSUED).blob_id)


def _flip_signed_byte(pdf: bytes) -> bytes:
    """One byte changed inside the signed range: in the first content stream, so the file
    still reads and only the seal's digest can tell."""
    match = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf)
    assert match is not None
    start, length = int(match[1]), int(match[2])
    offset = pdf.index(b"stream\n") + len(b"stream\n") + 20
    assert start <= offset < start + length  # signed bytes, not the signature itself
    return pdf[:offset] + bytes([pdf[offset] ^ 0x01]) + pdf[offset + 1 :]


def _upload(client, issued: IssuedDocument, data: bytes, name: str = "决定书.pdf"):
    handle = io.BytesIO(data)
    handle.name = name
    return client.post(reverse("portal:verify", args=[issued.verify_code]), {"file": handle})


# --- the seal ----------------------------------------------------------------------------


def test_sealed_decision_validates_and_one_changed_byte_breaks_it(decision_doc, demo_seal):
    pdf = _pdf(decision_doc)
    assert decision_doc.files.get(purpose=FilePurpose.ISSUED).sealed

    [intact] = sealing.validate_pdf(pdf, [demo_seal.ca_cert_pem])
    assert (intact.signed, intact.intact, intact.valid, intact.trusted) == (True,) * 4
    assert intact.signer == "大洼区农业农村局"

    [broken] = sealing.validate_pdf(_flip_signed_byte(pdf), [demo_seal.ca_cert_pem])
    assert broken.signed and (broken.intact, broken.valid, broken.trusted) == (False,) * 3


# --- the page ----------------------------------------------------------------------------


def test_page_shows_the_document_without_login_and_without_the_party(client, decision_doc):
    response = client.get(reverse("portal:verify", args=[decision_doc.verify_code]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "行政处罚决定书" in page and decision_doc.number in page and "罚" in decision_doc.number
    assert timezone.localdate(decision_doc.issued_at).isoformat() in page
    assert decision_doc.unit.name in page and decision_doc.unit.bureau.name in page
    file = decision_doc.files.get(purpose=FilePurpose.ISSUED)
    assert file.blob_id in page and file.blob.sm3 in page
    # Nothing about the party: not the name, not the identity number, not the case title.
    assert PARTY not in page and RESIDENT_ID not in page and RESIDENT_ID[-6:] not in page
    assert decision_doc.case.title not in page and decision_doc.case.number not in page
    assert 'id="nav-main"' not in page  # the public base, no staff navigation
    assert response["X-Robots-Tag"].startswith("noindex")


def test_original_upload_matches_and_its_seal_is_intact_and_trusted(client, decision_doc):
    response = _upload(client, decision_doc, _pdf(decision_doc))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="verify-result" data-result="match"' in page
    assert 'data-intact="yes" data-trusted="yes"' in page
    assert response.context["check"].matched.version == 1
    event = AuditEvent.objects.filter(action="document.verify").order_by("-seq").first()
    assert event.actor_type == "system" and event.object_id == str(decision_doc.pk)
    assert event.details["code"] == decision_doc.verify_code
    assert event.details["result"] == "match" and event.details["seals_trusted"] is True


def test_tampered_upload_does_not_match(client, decision_doc):
    response = _upload(client, decision_doc, _flip_signed_byte(_pdf(decision_doc)))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="verify-result" data-result="mismatch"' in page
    assert 'data-result="match"' not in page and 'data-testid="verify-seal"' not in page
    event = AuditEvent.objects.filter(action="document.verify").order_by("-seq").first()
    assert event.details["result"] == "mismatch"


def test_unknown_code_is_404_and_audited(client):
    response = client.get(reverse("portal:verify", args=["no-such-code"]))
    assert response.status_code == 404
    assert 'data-testid="verify-not-found"' in response.content.decode()
    event = AuditEvent.objects.get(action="document.verify")
    assert event.details == {"code": "no-such-code", "result": "unknown"}


def test_upload_must_be_a_pdf_within_the_limit(client, decision_doc, monkeypatch):
    response = _upload(client, decision_doc, b"GIF89a not a pdf", name="x.gif")
    assert response.status_code == 400
    assert 'data-testid="verify-error"' in response.content.decode()
    monkeypatch.setattr(verify_forms, "VERIFY_MAX_BYTES", 1024)
    response = _upload(client, decision_doc, _pdf(decision_doc))
    assert response.status_code == 400 and 'data-result="match"' not in response.content.decode()
    results = AuditEvent.objects.filter(action="document.verify").values_list("details", flat=True)
    assert [d["result"] for d in results] == ["refused", "refused"]


def test_a_replaced_version_says_so_and_its_file_still_matches(client, decision_doc, officer_wang):
    draft = drafting.create_draft(
        officer_wang, decision_doc.case, "penalty_decision", supersedes=decision_doc
    )
    newer = issuing.issue(officer_wang, draft)
    assert newer.version == 2 and newer.number == decision_doc.number

    old_page = client.get(reverse("portal:verify", args=[decision_doc.verify_code]))
    assert 'data-testid="verify-replaced"' in old_page.content.decode()
    assert reverse("portal:verify", args=[newer.verify_code]) in old_page.content.decode()
    new_page = client.get(reverse("portal:verify", args=[newer.verify_code]))
    assert 'data-testid="verify-replaced"' not in new_page.content.decode()
    # The old version's file is still the archive's: it matches, as version 1.
    response = _upload(client, newer, _pdf(decision_doc))
    assert response.context["check"].matched.version == 1


def test_an_anonymous_visitor_checks_a_file_with_csrf_enforced(decision_doc):
    browser = Client(enforce_csrf_checks=True)
    url = reverse("portal:verify", args=[decision_doc.verify_code])
    page = browser.get(url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token is not None and "csrftoken" in browser.cookies
    handle = io.BytesIO(_pdf(decision_doc))
    handle.name = "决定书.pdf"

    response = browser.post(url, {"file": handle, "csrfmiddlewaretoken": token[1]})

    assert response.status_code == 200
    assert 'data-result="match"' in response.content.decode()


def test_an_anonymous_address_is_limited_and_its_refusals_are_not_each_audited(
    client, settings, clock, officer_wang
):
    """R18.2: guessing codes from one address is answered 429 (in Chinese) past the limit,
    and the audit log records the look-ups and the first refusal only."""
    settings.VERIFY_LOOKUP_LIMIT = 3
    settings.VERIFY_LOOKUP_WINDOW_SECONDS = 600
    url = reverse("portal:verify", args=["no-such-code"])
    assert [client.get(url).status_code for _ in range(3)] == [404, 404, 404]
    refused = [client.get(url) for _ in range(5)]
    assert {response.status_code for response in refused} == {429}
    assert "查验过于频繁" in refused[0].content.decode()
    assert refused[0]["Retry-After"] == "600"
    results = [e.details["result"] for e in AuditEvent.objects.filter(action="document.verify")]
    assert results == ["unknown"] * 3 + ["throttled"]
    # Another address and a signed-in person are not held back by this one.
    assert Client(REMOTE_ADDR="10.0.0.9").get(url).status_code == 404
    staff = Client()
    staff.force_login(officer_wang)
    assert staff.get(url).status_code == 404
    # Once the window has passed, the address may look up again.
    clock.advance(601)
    assert client.get(url).status_code == 404
