"""The officers' own lines (R9.1): 询问人, 记录人, 执法人员 … are signed by the officer named
on them, as themselves — on the pad, or with the signature image they enrolled on their
account page and confirm with their password each time. Audited, refusals too; the signed
PDF is made when every line is signed (or refused), and a line left empty by "make final"
is marked 未签名, never silently blank. Each rule both ways, through the actions and the
signing screen, with real PDFs read back."""

from __future__ import annotations

import base64
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext, override
from pypdf import PdfReader

from liuhen.core.access import AccessDenied
from liuhen.core.models import AuditEvent, Outcome
from liuhen.documents.actions import officer_signing, signing
from liuhen.documents.catalog import catalog
from liuhen.documents.issuing.signatures import (
    TRANSCRIPT_OPINION,
    UNSIGNED_MARK,
    current_enrolment,
    named_officers,
    names_in,
    officer_roles,
)
from liuhen.documents.models import (
    FilePurpose,
    Finalisation,
    OfficerSignature,
    SignatureEnrolment,
)
from tests.documents.signing_helpers import (
    PARTY,
    blank_png,
    file_bytes,
    image_xobjects,
    make_party_case,
    service_receipt_values,
    signature_png,
    transcript_values,
)
from tests.factories import PASSWORD, sign_in
from tests.fixtures.documents import issue_form, pdf_text

# A blob store of the test's own and the shared font cache.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("docs_storage")]


@pytest.fixture
def two_officer_case(unit_a, officer_wang, officer_ma):
    """王明 and 马骏 both work the case."""
    return make_party_case(unit_a, [officer_wang, officer_ma])


@pytest.fixture
def named_transcript(officer_wang, two_officer_case):
    """An inquiry transcript that names 王明 as 询问人 and 记录人 (马骏 works the case, but
    is not named on it)."""
    return issue_form(
        officer_wang,
        two_officer_case,
        "inquiry_transcript",
        **{**transcript_values(), "officers": "王明（执法证号 21000001）"},
    )


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def officer_sign_url(issued) -> str:
    return reverse("documents:officer_sign", args=[issued.pk])


def sign_party(officer, issued) -> None:
    signing.sign(
        officer,
        issued,
        role="被询问人",
        name=PARTY,
        opinion=TRANSCRIPT_OPINION,
        image_png=signature_png(),
    )


def enrol(officer) -> SignatureEnrolment:
    return officer_signing.enrol_signature(officer, image_png=signature_png(300, 100))


def zh(text: str) -> str:
    with override("zh-hans"):
        return gettext(text)


# --- which lines are officers' and who is named ---------------------------------------------


def test_officer_lines_of_the_forms() -> None:
    assert officer_roles(catalog.get("inquiry_transcript")) == ("询问人", "记录人")
    assert officer_roles(catalog.get("inspection_transcript")) == ("执法人员", "记录人")
    assert officer_roles(catalog.get("service_receipt")) == ("送达人",)


def test_names_are_read_from_the_value_without_certificate_numbers() -> None:
    assert names_in("王明（执法证号 21000001）、马骏（执法证号 21000002）") == {"王明", "马骏"}
    assert names_in("王明, 马骏") == {"王明", "马骏"}
    assert names_in("王明华") == {"王明华"}  # not 王明: a name is matched whole


def test_a_chair_line_names_the_chair_not_the_investigators(officer_wang, named_transcript) -> None:
    """The hearing's 听证主持人 line is the chair's: the investigating officers named in
    案件调查人员 do not sign it."""

    class Hearing:
        data = {"officers": "王明（执法证号 21000001）", "chair": "张伟"}
        case = named_transcript.case

    assert named_officers(Hearing(), "听证主持人") == []  # type: ignore[arg-type]
    assert named_officers(Hearing(), "执法人员") == [officer_wang]  # type: ignore[arg-type]


# --- signing on the pad: the officer named, and nobody else ---------------------------------


def test_the_named_officer_signs_his_line_on_the_pad(
    client, officer_wang, named_transcript
) -> None:
    sign_in(client, officer_wang)
    page = client.get(reverse("documents:sign", args=[named_transcript.pk])).content.decode()
    assert 'data-testid="officer-sign-form"' in page
    response = client.post(
        officer_sign_url(named_transcript),
        {"role": "询问人", "method": "pad", "signature": data_url(signature_png())},
    )
    assert response.status_code == 302
    signature = OfficerSignature.objects.get(issued=named_transcript)
    assert (signature.role, signature.officer, signature.name, signature.method) == (
        "询问人",
        officer_wang,
        "王明",
        OfficerSignature.Method.PAD,
    )
    event = AuditEvent.objects.get(action="document.officer_sign", outcome=Outcome.OK)
    assert event.details["role"] == "询问人" and event.details["method"] == "pad"
    assert event.actor_name == "officer_wang"
    issued_page = client.get(
        reverse("documents:issued", args=[named_transcript.pk])
    ).content.decode()
    assert 'data-testid="officer-signature"' in issued_page


def test_another_officer_of_the_case_may_not_sign_a_line_naming_someone_else(
    client, officer_ma, named_transcript
) -> None:
    """马骏 works the case but the transcript names 王明: refused, and the attempt is kept."""
    with pytest.raises(ValidationError) as refused:
        officer_signing.sign_as_officer(
            officer_ma, named_transcript, role="询问人", image_png=signature_png()
        )
    assert "王明" in refused.value.message_dict["role"][0]
    sign_in(client, officer_ma)
    page = client.get(reverse("documents:sign", args=[named_transcript.pk])).content.decode()
    assert 'data-testid="officer-sign-form"' not in page  # nothing offered to sign
    response = client.post(
        officer_sign_url(named_transcript),
        {"role": "记录人", "method": "pad", "signature": data_url(signature_png())},
    )
    assert response.status_code == 422
    assert 'data-testid="officer-sign-error"' in response.content.decode()
    assert not OfficerSignature.objects.exists()
    denied = AuditEvent.objects.filter(action="document.officer_sign", outcome=Outcome.DENIED)
    assert [(e.actor_name, e.details["reason"]) for e in denied] == [
        ("officer_ma", "not_named"),
        ("officer_ma", "not_named"),
    ]


def test_an_officer_not_on_the_case_is_refused_403_and_audited(
    client, head_zhang, named_transcript
) -> None:
    """张伟 heads the unit (he may work the case's documents) but is no officer of the case."""
    sign_in(client, head_zhang)
    assert client.get(reverse("documents:sign", args=[named_transcript.pk])).status_code == 200
    response = client.post(
        officer_sign_url(named_transcript),
        {"role": "询问人", "method": "pad", "signature": data_url(signature_png())},
    )
    assert response.status_code == 403
    assert not OfficerSignature.objects.exists()
    assert AuditEvent.objects.filter(
        action="document.officer_sign", outcome=Outcome.DENIED, actor_name="head_zhang"
    ).exists()


def test_an_officer_of_another_unit_finds_nothing(client, officer_li, named_transcript) -> None:
    sign_in(client, officer_li)
    response = client.post(
        officer_sign_url(named_transcript),
        {"role": "询问人", "method": "pad", "signature": data_url(signature_png())},
    )
    assert response.status_code == 404
    assert not OfficerSignature.objects.exists()


def test_a_line_names_its_officers_from_the_document(
    officer_wang, officer_ma, two_officer_case
) -> None:
    """Both named on 执法人员: each signs it, the line is done when both did; 记录人 names
    马骏 only, so 王明 may not sign it."""
    issued = issue_form(
        officer_wang,
        two_officer_case,
        "inspection_transcript",
        ended_at="2026-12-07 10:00",
        place="大洼区某农资店",
        recorder="马骏",
        findings="店内货架摆放农药十二种。",
    )
    assert "王明" in issued.data["officers"] and "马骏" in issued.data["officers"]
    with pytest.raises(ValidationError):
        officer_signing.sign_as_officer(
            officer_wang, issued, role="记录人", image_png=signature_png()
        )
    officer_signing.sign_as_officer(
        officer_wang, issued, role="执法人员", image_png=signature_png()
    )
    with pytest.raises(ValidationError) as twice:
        officer_signing.sign_as_officer(
            officer_wang, issued, role="执法人员", image_png=signature_png()
        )
    assert "role" in twice.value.message_dict
    officer_signing.sign_as_officer(officer_ma, issued, role="执法人员", image_png=signature_png())
    officer_signing.sign_as_officer(officer_ma, issued, role="记录人", image_png=signature_png())
    assert OfficerSignature.objects.filter(issued=issued).count() == 3


def test_an_empty_pad_and_a_party_line_are_refused(officer_wang, named_transcript) -> None:
    for png in (blank_png(), b""):
        with pytest.raises(ValidationError) as empty:
            officer_signing.sign_as_officer(
                officer_wang, named_transcript, role="询问人", image_png=png
            )
        assert "image" in empty.value.message_dict
    with pytest.raises(ValidationError) as party_line:
        officer_signing.sign_as_officer(
            officer_wang, named_transcript, role="被询问人", image_png=signature_png()
        )
    assert "role" in party_line.value.message_dict
    assert not OfficerSignature.objects.exists()


def test_officer_signature_is_write_once_at_the_database(officer_wang, named_transcript) -> None:
    signature = officer_signing.sign_as_officer(
        officer_wang, named_transcript, role="询问人", image_png=signature_png()
    )
    with pytest.raises(IntegrityError, match="write-once"), transaction.atomic():
        OfficerSignature.objects.filter(pk=signature.pk).update(name="马骏")
    with pytest.raises(IntegrityError, match="write-once"), transaction.atomic():
        OfficerSignature.objects.filter(pk=signature.pk).delete()


# --- the signed version: made when every line is signed, the officers' strokes on it ------


def test_the_signed_pdf_waits_for_the_officers_and_carries_their_strokes(
    officer_wang, named_transcript
) -> None:
    sign_party(officer_wang, named_transcript)
    assert not Finalisation.objects.filter(issued=named_transcript).exists()
    officer_signing.sign_as_officer(
        officer_wang, named_transcript, role="询问人", image_png=signature_png()
    )
    assert not Finalisation.objects.filter(issued=named_transcript).exists()  # 记录人 still open
    officer_signing.sign_as_officer(
        officer_wang, named_transcript, role="记录人", image_png=signature_png()
    )
    final = Finalisation.objects.get(issued=named_transcript)
    assert final.how == Finalisation.How.SIGNED
    pdf = file_bytes(named_transcript, FilePurpose.SIGNED)
    text = pdf_text(pdf)
    assert re.search(r"询问人（签名）：\s*王明\s*\d{4}年", text)
    assert re.search(r"记录人（签名）：\s*王明\s*\d{4}年", text)
    assert UNSIGNED_MARK not in text


def image_sizes(pdf: bytes) -> set[tuple[int, int]]:
    """(width, height) of every image the pages draw."""
    sizes = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        for ref in xobjects.get_object().values() if xobjects is not None else ():
            image = ref.get_object()
            if image.get("/Subtype") == "/Image":
                sizes.add((int(image["/Width"]), int(image["/Height"])))
    return sizes


def test_officer_strokes_are_images_on_the_signed_pdf(officer_wang, named_transcript) -> None:
    """The officers' own strokes (each of a size no other image has) are drawn on the
    signed version; made final by hand without them, they are not."""
    sign_party(officer_wang, named_transcript)
    signing.finalise(officer_wang, named_transcript)
    without = image_sizes(file_bytes(named_transcript, FilePurpose.SIGNED))
    other = issue_form(
        officer_wang,
        named_transcript.case,
        "inquiry_transcript",
        **{**transcript_values(), "officers": "王明（执法证号 21000001）"},
    )
    sign_party(officer_wang, other)
    # Strokes of their own (the PDF keeps one copy of an image drawn twice).
    for role, png in (("询问人", signature_png(400, 150)), ("记录人", signature_png(360, 120))):
        officer_signing.sign_as_officer(officer_wang, other, role=role, image_png=png)
    sizes = image_sizes(file_bytes(other, FilePurpose.SIGNED))
    assert {(400, 150), (360, 120)} <= sizes
    assert not {(400, 150), (360, 120)} & without
    assert image_xobjects(file_bytes(other, FilePurpose.SIGNED)) > image_xobjects(
        file_bytes(named_transcript, FilePurpose.SIGNED)
    )


def test_make_final_marks_the_lines_nobody_signed(client, officer_wang, named_transcript) -> None:
    """Never silently blank: the officer lines left empty say 未签名 on the signed version."""
    sign_party(officer_wang, named_transcript)
    sign_in(client, officer_wang)
    page = client.get(reverse("documents:sign", args=[named_transcript.pk])).content.decode()
    assert 'data-testid="finalise-panel"' in page
    client.post(reverse("documents:finalise", args=[named_transcript.pk]))
    text = pdf_text(file_bytes(named_transcript, FilePurpose.SIGNED))
    assert re.search(rf"询问人（签名）：\s*{UNSIGNED_MARK}", text)
    assert re.search(rf"记录人（签名）：\s*{UNSIGNED_MARK}", text)
    with pytest.raises(ValidationError):  # final: nothing more is signed on it
        officer_signing.sign_as_officer(
            officer_wang, named_transcript, role="询问人", image_png=signature_png()
        )


def test_the_issued_version_keeps_its_blank_lines(officer_wang, named_transcript) -> None:
    """Only the signed version is marked: the document as issued is for signing by hand."""
    assert UNSIGNED_MARK not in pdf_text(file_bytes(named_transcript, FilePurpose.ISSUED))


def test_a_line_naming_nobody_is_signed_by_an_officer_of_the_case(
    officer_wang, officer_ma, two_officer_case
) -> None:
    """The service receipt names no 送达人: either officer of the case signs it."""
    receipt = issue_form(
        officer_wang, two_officer_case, "service_receipt", **service_receipt_values()
    )
    officer_signing.sign_as_officer(officer_ma, receipt, role="送达人", image_png=signature_png())
    assert OfficerSignature.objects.get(issued=receipt).officer == officer_ma


# --- the enrolled signature: the officer's own, write-once, used with the password ---------


def test_the_officer_enrols_a_signature_on_the_account_page(client, officer_wang) -> None:
    sign_in(client, officer_wang)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("documents:my_signature") in profile
    url = reverse("documents:my_signature")
    page = client.get(url).content.decode()
    assert 'data-testid="enrolment-none"' in page
    response = client.post(url, {"signature": data_url(blank_png())})
    assert response.status_code == 422
    assert not SignatureEnrolment.objects.exists()
    response = client.post(url, {"signature": data_url(signature_png())})
    assert response.status_code == 302
    first = SignatureEnrolment.objects.get(officer=officer_wang)
    assert 'data-testid="enrolment-image"' in client.get(url).content.decode()
    client.post(url, {"signature": data_url(signature_png(300, 90))})
    # A new enrolment supersedes the old one; the old one is kept.
    assert SignatureEnrolment.objects.filter(officer=officer_wang).count() == 2
    assert current_enrolment(officer_wang).pk != first.pk
    events = AuditEvent.objects.filter(action="signature.enrol").order_by("seq")
    assert [e.details["supersedes"] for e in events] == [None, first.pk]


def test_who_may_not_enrol(client, reviewer_sun) -> None:
    sign_in(client, reviewer_sun)
    assert client.get(reverse("documents:my_signature")).status_code == 403
    assert (
        reverse("documents:my_signature")
        not in client.get(reverse("accounts:profile")).content.decode()
    )
    with pytest.raises(AccessDenied):
        officer_signing.enrol_signature(reviewer_sun, image_png=signature_png())
    assert not SignatureEnrolment.objects.exists()


def test_enrolment_is_write_once(officer_wang) -> None:
    enrolment = enrol(officer_wang)
    with pytest.raises(IntegrityError, match="write-once"), transaction.atomic():
        SignatureEnrolment.objects.filter(pk=enrolment.pk).delete()


def test_the_enrolled_signature_needs_the_password(client, officer_wang, named_transcript) -> None:
    enrolment = enrol(officer_wang)
    sign_in(client, officer_wang)
    response = client.post(
        officer_sign_url(named_transcript),
        {"role": "询问人", "method": "enrolled", "password": "wrong-password"},
    )
    assert response.status_code == 422
    assert zh("The password is not correct: the signature was not used.") in (
        response.content.decode()
    )
    assert not OfficerSignature.objects.exists()
    assert AuditEvent.objects.filter(
        action="document.officer_sign", outcome=Outcome.DENIED, details__reason="password"
    ).exists()
    response = client.post(
        officer_sign_url(named_transcript),
        {"role": "询问人", "method": "enrolled", "password": PASSWORD},
    )
    assert response.status_code == 302
    signature = OfficerSignature.objects.get(issued=named_transcript)
    assert signature.method == OfficerSignature.Method.ENROLLED
    assert signature.enrolment == enrolment and signature.image_id == enrolment.image_id


def test_without_an_enrolment_the_password_is_no_signature(officer_wang, named_transcript) -> None:
    with pytest.raises(ValidationError) as refused:
        officer_signing.sign_as_officer(
            officer_wang, named_transcript, role="询问人", password=PASSWORD
        )
    assert "password" in refused.value.message_dict
    assert not OfficerSignature.objects.exists()


def test_the_enrolled_signature_is_only_its_officers(
    officer_ma, officer_wang, named_transcript
) -> None:
    """马骏's password and enrolment do not sign 王明's line."""
    enrol(officer_ma)
    with pytest.raises(ValidationError):
        officer_signing.sign_as_officer(
            officer_ma, named_transcript, role="询问人", password=PASSWORD
        )
    assert not OfficerSignature.objects.exists()


def test_the_enrolled_image_is_on_the_signed_pdf(officer_wang, named_transcript) -> None:
    enrol(officer_wang)
    sign_party(officer_wang, named_transcript)
    for role in ("询问人", "记录人"):
        officer_signing.sign_as_officer(
            officer_wang, named_transcript, role=role, password=PASSWORD
        )
    text = pdf_text(file_bytes(named_transcript, FilePurpose.SIGNED))
    assert re.search(r"询问人（签名）：\s*王明\s*\d{4}年", text)
    assert Finalisation.objects.get(issued=named_transcript).how == Finalisation.How.SIGNED
