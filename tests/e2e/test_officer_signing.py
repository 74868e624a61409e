"""Officers sign their own lines on a tablet held upright (800×1280, R9.1): 王明, named as
询问人 and 记录人 on an inquiry transcript the party has signed, signs both lines on the pad
and the signed PDF is made with his strokes on them; and, in a second visit, he enrols his
signature on his account page and puts it on his lines with his password."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from liuhen.documents.actions import signing
from liuhen.documents.issuing.signatures import TRANSCRIPT_OPINION
from liuhen.documents.models import (
    FilePurpose,
    Finalisation,
    OfficerSignature,
    SignatureEnrolment,
)
from tests.documents.signing_helpers import (
    PARTY,
    file_bytes,
    issue_transcript,
    make_party_case,
    signature_png,
)
from tests.e2e.helpers import login
from tests.factories import PASSWORD
from tests.fixtures.documents import pdf_text

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("shared_font_cache")]


@pytest.fixture
def signed_by_party(officer_wang, unit_a):
    """An inquiry transcript naming 王明 as 询问人 and 记录人, signed by the party."""
    issued = issue_transcript(officer_wang, make_party_case(unit_a, [officer_wang]))
    signing.sign(
        officer_wang,
        issued,
        role="被询问人",
        name=PARTY,
        opinion=TRANSCRIPT_OPINION,
        image_png=signature_png(),
    )
    return issued


def draw(page: Page, test_id: str, points: list[tuple[float, float]]) -> None:
    """One stroke through ``points`` (fractions of the pad's width and height)."""
    pad = page.get_by_test_id(test_id)
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    assert box is not None
    at = [(box["x"] + x * box["width"], box["y"] + y * box["height"]) for x, y in points]
    page.mouse.move(*at[0])
    page.mouse.down()
    for x, y in at[1:]:
        page.mouse.move(x, y, steps=8)
    page.mouse.up()


def test_the_officer_signs_his_lines_with_the_pad(upright_tablet: Page, signed_by_party) -> None:
    issued = signed_by_party
    page = login(upright_tablet, "officer_wang", next_url=f"/documents/issued/{issued.pk}/sign/")
    expect(page.get_by_test_id("officer-sign-form")).to_be_visible()
    expect(page.get_by_test_id("sign-final")).to_have_count(0)  # the officers still sign

    # An empty pad is refused with a message.
    page.get_by_test_id("officer-sign-pad").click()
    expect(page.get_by_test_id("officer-sign-error")).to_be_visible()
    assert not OfficerSignature.objects.exists()

    page.get_by_test_id("officer-role").select_option("询问人")
    draw(page, "officer-pad", [(0.1, 0.7), (0.25, 0.2), (0.4, 0.75), (0.55, 0.3)])
    page.get_by_test_id("officer-sign-pad").click()
    expect(page.locator("[data-testid=officer-line][data-role=询问人]")).to_contain_text("王明")
    expect(page.get_by_test_id("sign-final")).to_have_count(0)  # 记录人 still open

    expect(page.get_by_test_id("officer-role")).to_have_value("记录人")  # the one left
    draw(page, "officer-pad", [(0.2, 0.5), (0.5, 0.2), (0.8, 0.6)])
    page.get_by_test_id("officer-sign-pad").click()
    expect(page.get_by_test_id("sign-final")).to_be_visible()

    signatures = OfficerSignature.objects.filter(issued=issued).order_by("id")
    assert [(s.role, s.name, s.method) for s in signatures] == [
        ("询问人", "王明", "pad"),
        ("记录人", "王明", "pad"),
    ]
    assert Finalisation.objects.get(issued=issued).how == Finalisation.How.SIGNED
    text = pdf_text(file_bytes(issued, FilePurpose.SIGNED))
    assert "询问人（签名）：" in text and "（未签名）" not in text


def test_the_officer_enrols_and_signs_with_his_password(
    upright_tablet: Page, signed_by_party
) -> None:
    issued = signed_by_party
    page = login(upright_tablet, "officer_wang", next_url="/accounts/me/")
    page.get_by_test_id("my-signature").click()
    expect(page.get_by_test_id("enrolment-none")).to_be_visible()
    draw(page, "enrol-pad", [(0.1, 0.6), (0.3, 0.2), (0.5, 0.7), (0.7, 0.3)])
    page.get_by_test_id("enrol-submit").click()
    expect(page.get_by_test_id("enrolment-image")).to_be_visible()
    enrolment = SignatureEnrolment.objects.get(officer__username="officer_wang")

    page.goto(f"/documents/issued/{issued.pk}/sign/")
    page.get_by_test_id("officer-role").select_option("询问人")
    page.get_by_test_id("officer-password").fill("not-my-password")
    page.get_by_test_id("officer-sign-enrolled").click()
    expect(page.get_by_test_id("officer-sign-error")).to_be_visible()
    assert not OfficerSignature.objects.exists()

    for role in ("询问人", "记录人"):
        page.get_by_test_id("officer-role").select_option(role)
        page.get_by_test_id("officer-password").fill(PASSWORD)
        page.get_by_test_id("officer-sign-enrolled").click()
        expect(page.locator(f"[data-testid=officer-line][data-role={role}]")).to_contain_text(
            "王明"
        )
    expect(page.get_by_test_id("sign-final")).to_be_visible()
    assert {
        (s.role, s.method, s.enrolment_id) for s in OfficerSignature.objects.filter(issued=issued)
    } == {("询问人", "enrolled", enrolment.pk), ("记录人", "enrolled", enrolment.pk)}
