"""Acceptance (issue 5, R9.1, R9.2) on a tablet held upright (800×1280): an officer fills an
inquiry transcript 询问笔录 and issues it, the party reads it and signs on the canvas, the
officer signs his own lines, and the signed PDF carries the stroke image, the signer's name
and the "第 1 页 共 N 页" footer. A refusal recorded without an AV record is refused with a
clear message and nothing is final."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone
from django.utils.translation import gettext, override
from playwright.sync_api import Page, expect

from liuhen.documents.models import Finalisation, IssuedDocument, PartySignature
from tests.documents.signing_helpers import (
    PARTY,
    image_xobjects,
    issue_transcript,
    make_party_case,
    page_footers,
)
from tests.e2e.helpers import login
from tests.fixtures.documents import pdf_text

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("shared_font_cache")]

NO_AV = (
    "A refusal to sign must be backed by an AV record made at that time "
    "(basis: the recording rules, Art. 9): link at least one."
)
# Whatever a drawn pixel is, the untouched pad is fully transparent.
DRAWN_PIXELS = """(el) => {
  const data = el.getContext('2d').getImageData(0, 0, el.width, el.height).data;
  let n = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n += 1;
  return n;
}"""


def draw(page: Page, points: list[tuple[float, float]], pad: str = "sign-pad") -> None:
    """One stroke through ``points`` (fractions of the pad's width and height)."""
    box = page.get_by_test_id(pad).bounding_box()
    assert box is not None
    at = [(box["x"] + x * box["width"], box["y"] + y * box["height"]) for x, y in points]
    page.mouse.move(*at[0])
    page.mouse.down()
    for x, y in at[1:]:
        page.mouse.move(x, y, steps=8)
    page.mouse.up()


def drawn(page: Page) -> int:
    return int(page.get_by_test_id("sign-pad").evaluate(DRAWN_PIXELS))


def fill_transcript(page: Page) -> None:
    """The fields the case cannot fill in: end time, place, recorder, recusal, questions."""
    ended = timezone.localtime() + dt.timedelta(minutes=30)
    page.fill("#id_ended_at", ended.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_place", "大洼区农业农村局询问室")
    page.fill("#id_recorder", "王明")
    page.select_option("#id_recusal", "否")
    page.fill(
        "#id_questions_answers",
        "问：你店内销售的农药从何处购进？\n答：从营口一家批发部购进，有进货单。",
    )


def test_party_signs_an_inquiry_transcript_on_the_tablet(
    upright_tablet: Page, officer_wang, unit_a, tmp_path: Path
) -> None:
    case = make_party_case(unit_a, [officer_wang])
    page = login(upright_tablet, "officer_wang", next_url=f"/documents/new/{case.pk}/")
    page.on("dialog", lambda dialog: dialog.accept())  # "Issue this document?"

    # The officer fills the transcript on the tablet and issues it.
    page.get_by_test_id("new-document-form").select_option("inquiry_transcript")
    page.get_by_test_id("new-document-create").click()
    expect(page.get_by_test_id("document-title")).to_have_text("询问笔录")
    fill_transcript(page)
    page.get_by_test_id("do-issue").click()
    page.wait_for_url(re.compile(r"/documents/issued/\d+/$"))
    issued = IssuedDocument.objects.get(case=case, form_code="inquiry_transcript")

    # The party reads it and signs.
    page.get_by_test_id("sign-link").click()
    page.wait_for_url(f"**/documents/issued/{issued.pk}/sign/")
    reader = page.frame_locator("[data-testid=sign-reader]")
    expect(reader.locator("h1.title")).to_have_text("询问笔录")
    expect(reader.get_by_text("从营口一家批发部购进")).to_be_visible()
    expect(page.get_by_test_id("sign-name")).to_have_value(PARTY)
    expect(page.get_by_test_id("sign-opinion")).to_have_value("以上笔录我已看过，与我所说的相符")
    page.get_by_test_id("sign-pad").scroll_into_view_if_needed()

    # High-DPI: the bitmap has twice the CSS pixels.
    pad = page.get_by_test_id("sign-pad")
    assert pad.evaluate("(el) => el.width") == 2 * pad.evaluate("(el) => el.offsetWidth")
    draw(page, [(0.1, 0.7), (0.2, 0.2), (0.3, 0.75), (0.42, 0.25)])
    one_stroke = drawn(page)
    assert one_stroke > 0
    draw(page, [(0.5, 0.5), (0.8, 0.5), (0.65, 0.8)])
    assert drawn(page) > one_stroke
    page.get_by_test_id("sign-undo").click()  # the second stroke goes
    assert drawn(page) == pytest.approx(one_stroke, rel=0.05)
    page.get_by_test_id("sign-clear").click()
    assert drawn(page) == 0
    draw(page, [(0.1, 0.7), (0.2, 0.2), (0.3, 0.75), (0.42, 0.25)])
    draw(page, [(0.5, 0.5), (0.8, 0.5), (0.65, 0.8)])
    # Turning the tablet keeps the strokes (the canvas is redrawn at its new size).
    page.set_viewport_size({"width": 1280, "height": 800})
    page.wait_for_function(
        "() => { const el = document.querySelector('[data-testid=sign-pad]');"
        " return el.width === 2 * el.offsetWidth; }"
    )
    assert drawn(page) > 0
    page.set_viewport_size({"width": 800, "height": 1280})
    page.get_by_test_id("sign-submit").click()

    # The officer named on the transcript signs his own lines, 询问人 and 记录人.
    expect(page.get_by_test_id("sign-final")).to_have_count(0)
    for line in ("询问人", "记录人"):
        page.get_by_test_id("officer-pad").scroll_into_view_if_needed()
        draw(page, [(0.2, 0.5), (0.5, 0.2), (0.8, 0.6)], pad="officer-pad")
        page.get_by_test_id("officer-sign-pad").click()
        expect(page.locator(f"[data-testid=officer-line][data-role={line}]")).to_contain_text(
            "王明"
        )

    # Final: signed, with the signed PDF to download.
    expect(page.get_by_test_id("sign-final")).to_be_visible()
    signature = PartySignature.objects.get(issued=issued)
    assert (signature.role, signature.name) == ("被询问人", PARTY)
    final = Finalisation.objects.get(issued=issued)
    assert final.how == Finalisation.How.SIGNED
    with page.expect_download() as download_info:
        page.get_by_test_id("signed-pdf").click()
    target = tmp_path / "signed.pdf"
    download_info.value.save_as(target)
    pdf = target.read_bytes()

    assert pdf.startswith(b"%PDF-")
    assert image_xobjects(pdf) >= 1  # the signature strokes
    footers = [f.replace(" ", "") for f in page_footers(pdf)]
    assert footers[0] == f"第1页共{final.file.pages}页"
    assert re.search(rf"被询问人（签名）：\s*{PARTY}\s*\d{{4}}年", pdf_text(pdf))


def test_refusal_without_an_av_record_is_refused_on_the_tablet(
    upright_tablet: Page, officer_wang, unit_a
) -> None:
    case = make_party_case(unit_a, [officer_wang])
    issued = issue_transcript(officer_wang, case)
    page = login(upright_tablet, "officer_wang", next_url=f"/documents/issued/{issued.pk}/sign/")

    page.get_by_test_id("refuse-panel").locator("summary").click()
    page.fill("#id_circumstances", "当事人看过笔录后拒绝签名，称不认可记录内容。")
    expect(page.get_by_test_id("refuse-av-none")).to_be_visible()  # nothing to link
    page.get_by_test_id("refuse-submit").click()

    with override("zh-hans"):
        message = gettext(NO_AV)
    expect(page.get_by_test_id("refuse-error")).to_contain_text(message)
    expect(page.get_by_test_id("refuse-error")).to_be_in_viewport()  # not lost below the fold
    expect(page.get_by_test_id("sign-final")).to_have_count(0)
    assert not Finalisation.objects.filter(issued=issued).exists()
    assert not issued.refusals.exists()
