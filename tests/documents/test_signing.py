"""The party's signature and the refusal record (R9.1, R9.2) and waivers (R8.2): through the
signing screen's HTTP views and the actions, with real PDFs read back with pypdf."""

from __future__ import annotations

import base64
import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override

from liuhen.cases.actions import decisions as decision_actions
from liuhen.cases.actions.registration import link_party
from liuhen.core.audit import SYSTEM
from liuhen.core.models import AuditEvent, Outcome
from liuhen.documents.actions import signing
from liuhen.documents.catalog import catalog
from liuhen.documents.issuing.signatures import (
    TRANSCRIPT_OPINION,
    WAIVER_TEXTS,
    default_name,
    standard_opinion,
    with_waivers,
)
from liuhen.documents.models import (
    FilePurpose,
    Finalisation,
    PartySignature,
    SignatureRefusal,
)
from tests.documents.signing_helpers import (
    PARTY,
    av_record,
    blank_png,
    file_bytes,
    image_xobjects,
    issue_transcript,
    make_party_case,
    page_footers,
    service_receipt_values,
    sign_officer_lines,
    signature_png,
)
from tests.factories import sign_in, unit_subject
from tests.fixtures.documents import issue_form, pdf_text

# A blob store of the test's own and the shared font cache.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("docs_storage")]

NO_AV = (
    "A refusal to sign must be backed by an AV record made at that time "
    "(basis: the recording rules, Art. 9): link at least one."
)


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def sign_url(issued) -> str:
    return reverse("documents:sign", args=[issued.pk])


def refuse_url(issued) -> str:
    return reverse("documents:refuse", args=[issued.pk])


def post_signature(client, issued, png: bytes, **fields):
    data = {
        "role": "被询问人",
        "name": PARTY,
        "opinion": TRANSCRIPT_OPINION,
        "signature": data_url(png),
        **fields,
    }
    return client.post(sign_url(issued), data)


def post_refusal(client, issued, record_ids=(), **fields):
    local = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    data = {
        "role": "被询问人",
        "refused": "拒绝在《询问笔录》上签名",
        "circumstances": "当事人看过笔录后拒绝签名，称不认可记录内容。",
        "refused_at": local,
        "av_records": [str(pk) for pk in record_ids],
        **fields,
    }
    return client.post(refuse_url(issued), data)


@pytest.fixture
def party_case(unit_a, officer_wang):
    return make_party_case(unit_a, [officer_wang])


@pytest.fixture
def transcript(officer_wang, party_case):
    return issue_transcript(officer_wang, party_case)


# --- the screen -----------------------------------------------------------------------------


def test_screen_offers_the_party_line_with_name_and_standard_opinion(
    client, officer_wang, transcript
) -> None:
    sign_in(client, officer_wang)
    response = client.get(sign_url(transcript))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="被询问人"' in html
    assert f'value="{PARTY}"' in html
    assert TRANSCRIPT_OPINION in html
    assert reverse("documents:sign_read", args=[transcript.pk]) in html
    assert "signature_pad.umd.min.js" in html  # served from static, never a CDN
    assert "sign-waivers" not in html  # R8.2 waivers belong to notices and receipts


def test_standard_opinions_by_form() -> None:
    assert standard_opinion(catalog.get("inquiry_transcript")) == TRANSCRIPT_OPINION
    assert standard_opinion(catalog.get("seizure_list")) == "以上内容我已看过，无异议"


def test_read_frame_shows_the_document_framed_only_by_this_site(
    client, officer_wang, transcript
) -> None:
    sign_in(client, officer_wang)
    response = client.get(reverse("documents:sign_read", args=[transcript.pk]))
    assert response.status_code == 200
    assert "询问笔录" in response.content.decode()
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy
    assert "script-src" not in policy and "default-src 'none'" in policy


# --- signing ----------------------------------------------------------------------------------


def test_signature_makes_a_final_signed_pdf(client, officer_wang, transcript) -> None:
    """R9.1: the stroke image, the name and the page footer are in the signed version, made
    once the officer's lines are signed too."""
    sign_in(client, officer_wang)
    before = image_xobjects(file_bytes(transcript, FilePurpose.ISSUED))
    response = post_signature(client, transcript, signature_png())
    assert response.status_code == 302
    assert not Finalisation.objects.filter(issued=transcript).exists()  # officers still to sign
    sign_officer_lines(officer_wang, transcript)
    signature = PartySignature.objects.get(issued=transcript)
    assert (signature.role, signature.name, signature.opinion) == (
        "被询问人",
        PARTY,
        TRANSCRIPT_OPINION,
    )
    final = Finalisation.objects.get(issued=transcript)
    assert final.how == Finalisation.How.SIGNED
    assert final.file.purpose == FilePurpose.SIGNED
    pdf = file_bytes(transcript, FilePurpose.SIGNED)
    assert pdf.startswith(b"%PDF-")
    assert image_xobjects(pdf) > before
    text = pdf_text(pdf)
    assert re.search(rf"被询问人（签名）：\s*{PARTY}\s*\d{{4}}年", text)  # name on its line
    assert TRANSCRIPT_OPINION in text.replace("\n", "")
    footers = page_footers(pdf)
    assert footers and footers[0].replace(" ", "").startswith("第1页共")
    assert footers[0].replace(" ", "").endswith(f"共{final.file.pages}页")

    page = client.get(sign_url(transcript)).content.decode()
    assert 'data-testid="sign-final"' in page
    assert 'data-testid="sign-panel"' not in page
    signed_url = reverse("documents:issued_file", args=[transcript.pk, FilePurpose.SIGNED])
    assert f'href="{signed_url}"' in page
    download = client.get(signed_url)
    assert download.status_code == 200
    # R21.1: a watermarked copy of the signed PDF, page for page; the stored one unchanged.
    assert download.content != pdf and "本件为加注水印的副本" in pdf_text(download.content)
    assert AuditEvent.objects.filter(action="document.sign", outcome=Outcome.OK).exists()
    assert AuditEvent.objects.filter(action="document.finalise").exists()


def test_blank_pad_is_refused(client, officer_wang, transcript) -> None:
    sign_in(client, officer_wang)
    for png in (blank_png(), b""):
        response = post_signature(client, transcript, png)
        assert response.status_code == 422
        assert 'data-testid="error-signature"' in response.content.decode()
    assert not PartySignature.objects.exists()
    assert not Finalisation.objects.exists()


def test_not_a_png_and_oversized_images_are_refused(client, officer_wang, transcript) -> None:
    sign_in(client, officer_wang)
    response = client.post(
        sign_url(transcript),
        {
            "role": "被询问人",
            "name": PARTY,
            "opinion": "x",
            "signature": "data:image/png;base64,!!",
        },
    )
    assert response.status_code == 422
    huge = "data:image/png;base64," + "A" * (3 * 1024 * 1024)
    response = client.post(
        sign_url(transcript),
        {"role": "被询问人", "name": PARTY, "opinion": "x", "signature": huge},
    )
    assert response.status_code in (400, 422)
    assert not PartySignature.objects.exists()


def test_second_signature_on_the_same_line_is_refused(officer_wang, party_case) -> None:
    """Two lines: the witness signs, the witness line cannot be signed again (the party's
    line still open), and nothing on a final document either."""
    issued = issue_form(
        officer_wang,
        party_case,
        "inspection_transcript",
        ended_at=timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        place="大洼区某农资店",
        recorder="王明",
        findings="店内货架摆放农药十二种。",
    )
    signing.sign(
        officer_wang, issued, role="见证人", name="李四", opinion="属实", image_png=signature_png()
    )
    with pytest.raises(ValidationError) as refused:
        signing.sign(
            officer_wang,
            issued,
            role="见证人",
            name="李四",
            opinion="属实",
            image_png=signature_png(),
        )
    assert "role" in refused.value.message_dict
    assert not Finalisation.objects.filter(issued=issued).exists()
    signing.sign(
        officer_wang, issued, role="当事人", name=PARTY, opinion="无异议", image_png=signature_png()
    )
    with pytest.raises(ValidationError):
        signing.sign(
            officer_wang,
            issued,
            role="当事人",
            name=PARTY,
            opinion="无异议",
            image_png=signature_png(),
        )
    assert PartySignature.objects.filter(issued=issued).count() == 2


def test_second_signature_through_the_screen_is_refused(client, officer_wang, transcript) -> None:
    sign_in(client, officer_wang)
    assert post_signature(client, transcript, signature_png()).status_code == 302
    response = post_signature(client, transcript, signature_png())
    assert response.status_code == 422
    assert PartySignature.objects.filter(issued=transcript).count() == 1


def test_signature_row_is_write_once_at_the_database(officer_wang, transcript) -> None:
    signature = signing.sign(
        officer_wang,
        transcript,
        role="被询问人",
        name=PARTY,
        opinion=TRANSCRIPT_OPINION,
        image_png=signature_png(),
    )
    with pytest.raises(IntegrityError, match="write-once"), transaction.atomic():
        PartySignature.objects.filter(pk=signature.pk).update(name="王五")
    with pytest.raises(IntegrityError, match="write-once"), transaction.atomic():
        PartySignature.objects.filter(pk=signature.pk).delete()
    signature.refresh_from_db()
    assert signature.name == PARTY


# --- refusal ----------------------------------------------------------------------------------


def test_refusal_without_av_is_refused_with_the_message(client, officer_wang, transcript) -> None:
    """R9.2: no AV record, no finalisation — and the screen says why."""
    sign_in(client, officer_wang)
    response = post_refusal(client, transcript, [])
    assert response.status_code == 422
    with override("zh-hans"):
        message = gettext(NO_AV)
    assert 'data-testid="refuse-error"' in response.content.decode()
    assert message in response.content.decode()
    assert not SignatureRefusal.objects.exists()
    assert not Finalisation.objects.exists()


def test_refusal_with_av_of_that_time_is_final(client, officer_wang, transcript) -> None:
    record = av_record(officer_wang, timezone.now() - dt.timedelta(minutes=10))
    sign_in(client, officer_wang)
    page = client.get(sign_url(transcript)).content.decode()
    assert f'data-testid="refuse-av-{record.pk}"' in page  # offered in the picker
    response = post_refusal(client, transcript, [record.pk])
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert not Finalisation.objects.filter(issued=transcript).exists()  # officers still to sign
    sign_officer_lines(officer_wang, transcript)
    refusal = SignatureRefusal.objects.get(issued=transcript)
    assert list(refusal.recordings.values_list("record_id", flat=True)) == [record.pk]
    final = Finalisation.objects.get(issued=transcript)
    assert final.how == Finalisation.How.REFUSED
    text = pdf_text(file_bytes(transcript, FilePurpose.SIGNED)).replace("\n", "")
    assert "拒绝在《询问笔录》上签名" in text
    assert 'data-testid="sign-final"' in client.get(sign_url(transcript)).content.decode()


def test_av_record_from_another_day_is_refused(client, officer_wang, transcript) -> None:
    yesterday = av_record(officer_wang, timezone.now() - dt.timedelta(days=1, hours=2))
    sign_in(client, officer_wang)
    page = client.get(sign_url(transcript)).content.decode()
    assert f'data-testid="refuse-av-{yesterday.pk}"' not in page  # not offered
    response = post_refusal(client, transcript, [yesterday.pk])
    assert response.status_code == 422
    assert not SignatureRefusal.objects.exists()
    assert not Finalisation.objects.exists()


def test_av_record_not_visible_to_the_officer_is_refused(
    client, officer_wang, officer_li, transcript
) -> None:
    """李强 of unit B made it, at the right time: 王明 may not see it, so may not link it."""
    others = av_record(officer_li, timezone.now() - dt.timedelta(minutes=5))
    sign_in(client, officer_wang)
    page = client.get(sign_url(transcript)).content.decode()
    assert f'data-testid="refuse-av-{others.pk}"' not in page
    response = post_refusal(client, transcript, [others.pk])
    assert response.status_code == 422
    assert not SignatureRefusal.objects.exists()


# --- waivers (R8.2) ---------------------------------------------------------------------------


def test_waivers_are_signed_into_the_opinion_on_the_service_receipt(
    client, officer_wang, party_case
) -> None:
    # R8.2: the rights waived are those of the advance notice recorded on the case.
    decision_actions.record_advance_notice(
        officer_wang,
        party_case,
        notified_at=timezone.now() - dt.timedelta(days=1),
        notified_to=PARTY,
        method="直接送达",
        penalty_kinds=["warning"],
    )
    receipt = issue_form(officer_wang, party_case, "service_receipt", **service_receipt_values())
    sign_in(client, officer_wang)
    page = client.get(sign_url(receipt)).content.decode()
    assert 'data-testid="waiver-statement"' in page and 'data-testid="waiver-hearing"' in page
    response = client.post(
        sign_url(receipt),
        {
            "role": "受送达人",
            "name": PARTY,
            "opinion": "以上内容我已看过，无异议",
            "waivers": ["statement", "hearing"],
            "signature": data_url(signature_png()),
        },
    )
    assert response.status_code == 302
    signature = PartySignature.objects.get(issued=receipt)
    assert WAIVER_TEXTS["statement"] in signature.opinion
    assert WAIVER_TEXTS["hearing"] in signature.opinion
    # No witness took part: the officer makes it final with the party's line signed.
    page = client.get(sign_url(receipt)).content.decode()
    assert 'data-testid="finalise-panel"' in page
    response = client.post(reverse("documents:finalise", args=[receipt.pk]))
    assert response.status_code == 302
    assert Finalisation.objects.get(issued=receipt).how == Finalisation.How.SIGNED
    text = pdf_text(file_bytes(receipt, FilePurpose.SIGNED))
    assert "放弃陈述、申辩" in text.replace("\n", "")


NOTICE_VALUES = {
    "facts": "经查，你单位于2026年9月1日销售未取得农药登记证的农药10瓶。",
    "basis": "《农药管理条例》第五十五条",
    "statement_by": "2026-12-31",
}


@pytest.mark.parametrize(
    ("code", "offered", "not_offered"),
    [
        ("advance_notice", ["statement"], ["hearing"]),
        ("advance_notice_hearing", ["statement", "hearing"], []),
    ],
)
def test_advance_notice_offers_its_waivers(
    client, officer_wang, decided_case, installed_seal, code, offered, not_offered
) -> None:
    """R8.2: the party waives statement and defence (and a hearing, where offered) by signing
    a statement on the advance notice kept in the file."""
    notice = issue_form(officer_wang, decided_case, code, **NOTICE_VALUES)
    sign_in(client, officer_wang)
    page = client.get(sign_url(notice)).content.decode()
    assert 'data-testid="sign-panel"' in page
    for waiver in offered:
        assert f'data-testid="waiver-{waiver}"' in page
        assert WAIVER_TEXTS[waiver] in page  # the statement the box writes into the opinion
    for waiver in not_offered:
        assert f'data-testid="waiver-{waiver}"' not in page
    assert 'data-testid="refuse-panel"' not in page  # nothing to refuse on a notice


def test_finalise_needs_the_principal_line(client, officer_wang, party_case) -> None:
    """R9.2: an unsigned receipt cannot be made final by the button."""
    receipt = issue_form(officer_wang, party_case, "service_receipt", **service_receipt_values())
    sign_in(client, officer_wang)
    assert 'data-testid="finalise-panel"' not in client.get(sign_url(receipt)).content.decode()
    response = client.post(reverse("documents:finalise", args=[receipt.pk]), follow=True)
    assert not Finalisation.objects.filter(issued=receipt).exists()
    assert "受送达人" in response.content.decode()  # the message names the missing line


def test_waiver_text_is_added_once() -> None:
    once = with_waivers("以上内容我已看过，无异议" + WAIVER_TEXTS["statement"], ["statement"])
    assert once.count(WAIVER_TEXTS["statement"]) == 1


def test_waiver_statement_follows_the_opinion_as_its_own_sentence() -> None:
    """R8.2: "无异议" and "本人放弃…" never run together."""
    signed = with_waivers("以上内容我已看过，无异议", ["statement"])
    assert signed == "以上内容我已看过，无异议。本人放弃陈述、申辩的权利。"
    assert with_waivers("无异议。", ["hearing"]) == "无异议。本人放弃要求听证的权利。"


class _Issued:
    def __init__(self, case_id: int | None, **data: str) -> None:
        self.case_id = case_id
        self.data = data


def test_default_names(party_case) -> None:
    """R9.1: a line is offered to the person who signs, never to a unit by its name."""
    transcript = _Issued(party_case.pk, party_name=PARTY, interviewee_name="李四")
    assert default_name(transcript, "被询问人") == "李四"  # type: ignore[arg-type]
    assert default_name(_Issued(party_case.pk, party_name=PARTY), "当事人") == PARTY  # type: ignore[arg-type]
    shop = unit_subject(name="某农资店")
    link_party(SYSTEM, party_case, shop, role="interested")
    unit_party = _Issued(party_case.pk, party_name="某农资店")
    assert default_name(unit_party, "当事人") == ""  # type: ignore[arg-type]
    assert default_name(unit_party, "被询问人") == ""  # type: ignore[arg-type]
    represented = _Issued(party_case.pk, party_name="某农资店", legal_representative="王五")
    assert default_name(represented, "受送达人") == "王五"  # type: ignore[arg-type]
    assert default_name(_Issued(None, party_name="某农资店"), "当事人") == ""  # type: ignore[arg-type]
    assert default_name(_Issued(None, party_name=PARTY), "见证人") == ""  # type: ignore[arg-type]


# --- access, both ways ------------------------------------------------------------------------


def test_officer_of_another_unit_finds_no_document(client, officer_li, transcript) -> None:
    """Hidden: 404 on every signing page (the document's existence is not revealed), each
    attempt audited as a denial of what was tried."""
    sign_in(client, officer_li)
    assert client.get(sign_url(transcript)).status_code == 404
    assert post_signature(client, transcript, signature_png()).status_code == 404
    assert post_refusal(client, transcript, []).status_code == 404
    assert client.get(reverse("documents:sign_read", args=[transcript.pk])).status_code == 404
    assert client.post(reverse("documents:finalise", args=[transcript.pk])).status_code == 404
    assert not PartySignature.objects.exists()
    denied = AuditEvent.objects.filter(actor_name="officer_li", outcome=Outcome.DENIED)
    assert sorted(denied.values_list("action", flat=True)) == [
        "document.sign",
        "document.sign",
        "document.sign",
        "document.sign",
        "document.view",
    ]
    assert set(denied.values_list("object_id", flat=True)) == {str(transcript.pk)}


def test_a_reader_of_the_case_reads_but_may_not_sign(client, reviewer_sun, transcript) -> None:
    """Visible but not worked by the person: the document reads, signing answers 403."""
    sign_in(client, reviewer_sun)
    assert client.get(reverse("documents:sign_read", args=[transcript.pk])).status_code == 200
    assert client.get(sign_url(transcript)).status_code == 403
    assert post_signature(client, transcript, signature_png()).status_code == 403
    assert not PartySignature.objects.exists()
    denied = AuditEvent.objects.filter(actor_name="reviewer_sun", outcome=Outcome.DENIED)
    assert [(e.action, e.object_id) for e in denied] == [("document.sign", str(transcript.pk))] * 2


def test_officer_of_the_case_may_sign(client, officer_wang, transcript) -> None:
    sign_in(client, officer_wang)
    assert client.get(sign_url(transcript)).status_code == 200
    assert client.get(reverse("documents:sign_read", args=[transcript.pk])).status_code == 200


def test_anonymous_is_sent_to_login(client, transcript) -> None:
    response = client.get(sign_url(transcript))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
