"""Printing forms to PDF: A4 layout, embedded and extractable CJK font, signatures,
approvals, seal box, QR codes, page footer (documents/pdf.py, documents/fonts.py)."""

from __future__ import annotations

import datetime
import io
import os
import threading
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw
from pypdf import PdfReader

from liuhen.documents.printing import fonts
from liuhen.documents.printing import pdf as pdf_module
from liuhen.documents.printing.context import PrintApproval, PrintContext, PrintSignature
from liuhen.documents.printing.pdf import render_html, render_pdf
from liuhen.documents.printing.qr import qr_data_uri
from liuhen.documents.spec import PAYMENT_QR, FieldSpec, FieldType, FormSpec, Kind

pytestmark = pytest.mark.usefixtures("shared_font_cache")

# One lean font for the whole run (and later runs): building it takes seconds.
BUREAU = "盘锦市大洼区农业农村局"
PARTY = "盘锦市大洼区丰收农资经营部"
DAY = datetime.date(2026, 3, 5)


# --- forms built for the tests --------------------------------------------------------

DECISION = FormSpec(
    code="test_penalty_decision",
    title="行政处罚决定书",
    kind=Kind.SERVED,
    number_kind="罚",
    sealed=True,
    behaviours=(PAYMENT_QR,),
    fields=(
        FieldSpec("party_name", "当事人"),
        FieldSpec("legal_representative", "法定代表人（负责人）"),
        FieldSpec("party_phone", "联系电话"),
        FieldSpec("facts", "违法事实及证据", FieldType.TEXTAREA),
        FieldSpec("basis", "处罚依据", FieldType.TEXTAREA),
        FieldSpec("fine_yuan", "罚款金额（元）", FieldType.MONEY),
        FieldSpec("goods", "没收物品", FieldType.ITEMS, choices=("物品名称", "规格型号", "数量")),
        FieldSpec("agency", "执法机关"),
        FieldSpec("issued_on", "日期", FieldType.DATE),
    ),
)

TRANSCRIPT = FormSpec(
    code="test_inquiry_transcript",
    title="询问笔录",
    kind=Kind.RECORD,
    paginated=True,
    signature=True,
    signers=("被询问人", "执法人员", "记录人"),
    fields=(
        FieldSpec("started_at", "询问时间", FieldType.DATETIME),
        FieldSpec("place", "询问地点"),
        FieldSpec("interviewee", "被询问人"),
        FieldSpec("qa", "询问内容", FieldType.TEXTAREA),
    ),
)

FILING_APPROVAL = FormSpec(
    code="test_filing_approval",
    title="行政处罚立案审批表",
    kind=Kind.INTERNAL,
    approval_step="filing",
    fields=(
        FieldSpec("party_name", "当事人"),
        FieldSpec("summary", "案情摘要", FieldType.TEXTAREA),
    ),
)


def decision_context(**changes) -> PrintContext:
    values = {
        "party_name": PARTY,
        "legal_representative": "赵岩",
        "party_phone": "",  # empty: struck through with "/"
        "facts": "经查，当事人销售劣质农药“40%毒死蜱乳油”120瓶。\n以上事实有检查笔录等证据证明。",
        "basis": "《农药管理条例》第五十六条第一款",
        "fine_yuan": "18000.00",
        "goods": "40%毒死蜱乳油|500毫升/瓶|80瓶\n吡虫啉可湿性粉剂||20袋",
        "agency": BUREAU,
        "issued_on": "2026-04-02",
    }
    values.update(changes.pop("values", {}))
    issued = {
        "number": "洼农（农药）罚〔2026〕12号",
        "issued_on": datetime.date(2026, 4, 2),
        "verify_url": "https://liuhen.example.org/verify/8f14e45f-ceea-467a-9af0-2b3c4d5e6f70",
        "payment_url": "https://pay.example.org/notice/2111042026000123",
        "payment_notice_number": "2111042026000123",
    }
    return PrintContext(spec=DECISION, values=values, bureau_name=BUREAU, **(issued | changes))


def stroke_png() -> bytes:
    image = Image.new("RGBA", (600, 200), (255, 255, 255, 0))
    ImageDraw.Draw(image).line(
        [(20, 150), (120, 40), (200, 160), (300, 50), (420, 170), (560, 60)],
        fill=(0, 0, 0, 255),
        width=8,
    )
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def transcript_context(questions: int = 3, **changes) -> PrintContext:
    qa = "\n".join(
        f"问：第{n}个问题，请你说明进货来源、销售数量和价格？\n"
        "答：从沈阳某农资公司进货两百瓶，每瓶进价二十元，卖三十元，已卖出一百二十瓶。"
        for n in range(1, questions + 1)
    )
    values = {
        "started_at": "2026-03-20T09:30",
        "place": "大洼区农业农村局询问室",
        "interviewee": "赵岩",
        "qa": qa,
    }
    return PrintContext(spec=TRANSCRIPT, values=values, bureau_name=BUREAU, **changes)


def party_signature() -> PrintSignature:
    return PrintSignature(
        role="被询问人",
        name="赵岩",
        opinion="以上笔录我已看过，与我所说的相符",
        signed_on=datetime.date(2026, 3, 20),
        image_png=stroke_png(),
    )


def text_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def embedded_fonts(pdf: bytes) -> dict[str, bool]:
    """BaseFont → whether its FontDescriptor embeds a TrueType program (/FontFile2)."""
    found = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            found[str(font["/BaseFont"])] = "/FontFile2" in descriptor
    return found


@pytest.fixture(scope="module")
def rendered_decision():
    return render_pdf(decision_context())


# --- served, sealed form with payment QR --------------------------------------------------


def test_decision_is_a_valid_pdf_whose_text_layer_gives_back_the_chinese(rendered_decision):
    reader = PdfReader(io.BytesIO(rendered_decision.pdf))
    assert len(reader.pages) == rendered_decision.pages
    assert reader.metadata.title == "行政处罚决定书"
    text = "\n".join(text_of(rendered_decision.pdf))
    assert "行政处罚决定书" in text
    assert BUREAU in text
    assert "洼农（农药）罚〔2026〕12号" in text
    assert f"当事人：{PARTY}" in text
    assert "《农药管理条例》第五十六条第一款" in text


def test_the_same_document_renders_to_the_same_bytes(rendered_decision):
    # Re-rendering an issued document reproduces its SHA-256 (no creation time inside).
    assert render_pdf(decision_context()).pdf == rendered_decision.pdf


def test_pages_are_a4(rendered_decision):
    for page in PdfReader(io.BytesIO(rendered_decision.pdf)).pages:
        assert round(float(page.mediabox.width)) == 595  # 210 mm
        assert round(float(page.mediabox.height)) == 842  # 297 mm


def test_empty_fields_are_struck_through_with_a_slash(rendered_decision):
    text = "\n".join(text_of(rendered_decision.pdf))
    assert "联系电话：/" in text


def test_items_print_as_a_table_with_headers_and_slashes_for_empty_cells(rendered_decision):
    html = render_html(decision_context())
    assert "<th>物品名称</th><th>规格型号</th><th>数量</th>" in html
    assert "<td>吡虫啉可湿性粉剂</td><td>/</td><td>20袋</td>" in html


def test_dates_print_the_chinese_way(rendered_decision):
    text = "\n".join(text_of(rendered_decision.pdf))
    assert "2026年4月2日" in text
    assert "2026-04-02" not in text


def test_the_cjk_font_is_embedded_as_a_truetype_subset(rendered_decision):
    found = embedded_fonts(rendered_decision.pdf)
    assert found
    assert all(found.values()), found
    assert any("Liuhen-Lean-Song" in name for name in found)


def test_agency_and_date_close_a_sealed_form_under_the_seal_box(rendered_decision):
    reader = PdfReader(io.BytesIO(rendered_decision.pdf))
    assert rendered_decision.seal_box is not None
    page_index, x1, y1, x2, y2 = rendered_decision.seal_box
    assert page_index == len(reader.pages) - 1  # the seal is on the last page
    mediabox = reader.pages[page_index].mediabox
    assert 0 <= x1 < x2 <= float(mediabox.width)
    assert 0 <= y1 < y2 <= float(mediabox.height)
    # A 42 mm seal.
    assert x2 - x1 == pytest.approx(42 / 25.4 * 72, abs=0.5)
    assert y2 - y1 == pytest.approx(42 / 25.4 * 72, abs=0.5)
    last_page = text_of(rendered_decision.pdf)[-1]
    assert BUREAU in last_page
    # The agency and date fields print in the closing line, not as rows of their own.
    assert "执法机关：" not in "\n".join(text_of(rendered_decision.pdf))


def test_payment_and_verification_qr_codes_are_captioned(rendered_decision):
    text = text_of(rendered_decision.pdf)[-1]
    assert "扫码缴款" in text  # R11.1
    assert "2111042026000123" in text
    assert "扫码核验" in text


def test_no_payment_qr_without_a_payment_url():
    html = render_html(decision_context(payment_url="", payment_notice_number=""))
    assert "扫码缴款" not in html
    assert "扫码核验" in html


def test_forms_without_payment_qr_never_print_one():
    ctx = decision_context()
    unsealed = PrintContext(
        spec=TRANSCRIPT,
        values={},
        bureau_name=BUREAU,
        verify_url=ctx.verify_url,
        payment_url=ctx.payment_url,
    )
    assert "扫码缴款" not in render_html(unsealed)


def test_qr_data_uri_is_a_scalable_svg():
    uri = qr_data_uri("https://liuhen.example.org/verify/1")
    assert uri.startswith("data:image/svg+xml")
    assert "viewBox" in uri
    assert qr_data_uri("https://liuhen.example.org/verify/2") != uri


def test_a_character_outside_gb2312_still_prints_from_the_full_font():
    # 䶮 (U+4DAE) is not in GB2312, so not in the lean font: the full UMing family prints it.
    rendered = render_pdf(decision_context(values={"legal_representative": "赵䶮"}))
    assert "法定代表人（负责人）：赵䶮" in "\n".join(text_of(rendered.pdf))
    found = embedded_fonts(rendered.pdf)
    assert all(found.values()), found
    assert any("UMing" in name for name in found), found


def test_values_are_printed_as_text_never_as_markup():
    hostile = '<img src="file:///etc/passwd"><b>粗体</b>'
    rendered = render_pdf(decision_context(values={"party_name": hostile}))
    text = "\n".join(text_of(rendered.pdf))
    assert '<img src="file:///etc/passwd">' in text
    html = render_html(decision_context(values={"party_name": hostile}))
    assert "&lt;b&gt;粗体&lt;/b&gt;" in html


def test_the_renderer_fetches_no_file_but_the_font_and_no_url():
    for url in ("file:///etc/passwd", "http://127.0.0.1:8000/admin/", "https://example.org/x.png"):
        with pytest.raises(ValueError, match="fetch nothing"):
            pdf_module._url_fetcher().fetch(url)
    response = pdf_module._url_fetcher().fetch(fonts.lean_font_path().as_uri())
    try:
        assert response.read(4) == b"\x00\x01\x00\x00"  # a TrueType font
    finally:
        response.close()


def test_draft_preview_carries_a_watermark_and_issued_document_does_not(rendered_decision):
    draft = render_pdf(decision_context(draft=True))
    assert "草稿" in "\n".join(text_of(draft.pdf))
    assert "草稿" not in "\n".join(text_of(rendered_decision.pdf))


def test_preview_html_is_the_same_form_without_the_server_font_file():
    html = render_html(decision_context())
    assert "行政处罚决定书" in html
    assert PARTY in html
    assert 'id="seal"' in html
    assert "file://" not in html


# --- transcript: paginated, signed on every page ---------------------------------------------


def test_signed_transcript_shows_opinion_name_date_and_stroke_image():
    rendered = render_pdf(transcript_context(signatures=(party_signature(),)))
    assert rendered.seal_box is None  # not a sealed form
    text = "\n".join(text_of(rendered.pdf))
    assert "询问笔录" in text
    assert "以上笔录我已看过，与我所说的相符" in text
    assert "被询问人（签名）：" in text
    assert "2026年3月20日" in text
    assert "询问时间：2026年3月20日9时30分" in text
    last_page = PdfReader(io.BytesIO(rendered.pdf)).pages[-1]
    images = [
        xobject.get_object()
        for xobject in last_page["/Resources"]["/XObject"].values()
        if xobject.get_object()["/Subtype"] == "/Image"
    ]
    assert images  # R9.1: the party's stroke image is on the page


def test_unsigned_lines_stay_blank_for_hand_signing():
    rendered = render_pdf(transcript_context())
    text = "\n".join(text_of(rendered.pdf))
    for role in ("被询问人", "执法人员", "记录人"):
        assert f"{role}（签名）：" in text
    assert "年　月　日" in text


def test_a_refusal_is_printed_on_the_party_signature_line():
    refusal = "被询问人拒绝签名，执法人员已全程录音录像"
    rendered = render_pdf(transcript_context(refusal=refusal))  # R9.2
    text = "\n".join(text_of(rendered.pdf))
    assert f"被询问人（签名）：{refusal}" in text


def test_a_refusal_is_not_printed_when_the_party_signed():
    html = render_html(transcript_context(refusal="拒绝签名", signatures=(party_signature(),)))
    assert "拒绝签名" not in html


def test_long_transcript_spans_pages_each_numbered_of_the_total():
    rendered = render_pdf(transcript_context(questions=30, signatures=(party_signature(),)))
    pages = text_of(rendered.pdf)
    assert rendered.pages == len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert f"第 {number} 页 共 {len(pages)} 页" in text
        # R9.1: the interviewee signs every page; the stroke is repeated in the footer.
        assert "被询问人签名：" in text
    reader = PdfReader(io.BytesIO(rendered.pdf))
    for page in reader.pages:
        assert page["/Resources"]["/XObject"], "the signature image is on every page"


def test_one_page_transcript_reads_page_1_of_1():
    rendered = render_pdf(transcript_context(questions=1))
    assert rendered.pages == 1
    assert "第 1 页 共 1 页" in text_of(rendered.pdf)[0]


def test_forms_that_are_not_paginated_have_no_page_footer(rendered_decision):
    assert "共" not in text_of(rendered_decision.pdf)[0].split("\n")[-1]
    assert "页 共" not in "\n".join(text_of(rendered_decision.pdf))


def test_signatures_render_from_parallel_threads():
    results: list[bytes] = []

    def render() -> None:
        results.append(render_pdf(transcript_context()).pdf)

    threads = [threading.Thread(target=render) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 3
    for pdf in results:
        assert "询问笔录" in text_of(pdf)[0]


# --- internal form with approvals (R7.1) -------------------------------------------------


def test_internal_form_prints_each_approval_with_opinion_name_and_date():
    approvals = (
        PrintApproval("承办机构负责人意见", "张伟", "同意立案，由王明、李强承办。", DAY),
        PrintApproval("执法机关负责人意见", "刘建国", "同意。", DAY + datetime.timedelta(days=1)),
    )
    ctx = PrintContext(
        spec=FILING_APPROVAL,
        values={"party_name": PARTY, "summary": "群众举报当事人销售假农药。"},
        bureau_name=BUREAU,
        approvals=approvals,
    )
    rendered = render_pdf(ctx)
    text = "\n".join(text_of(rendered.pdf))
    assert "行政处罚立案审批表" in text
    assert PARTY in text
    for role, name, opinion, date in (
        ("承办机构负责人意见", "张伟", "同意立案，由王明、李强承办。", "2026年3月5日"),
        ("执法机关负责人意见", "刘建国", "同意。", "2026年3月6日"),
    ):
        assert role in text
        assert opinion in text
        assert f"签名：{name}" in text
        assert date in text
    assert rendered.seal_box is None


def test_internal_form_before_approval_strikes_the_approval_through():
    ctx = PrintContext(spec=FILING_APPROVAL, values={}, bureau_name=BUREAU)
    text = "\n".join(text_of(render_pdf(ctx).pdf))
    assert "审批意见" in text
    assert "当事人：/" in text


# --- the lean font ------------------------------------------------------------------------


def test_lean_font_is_built_once_and_reused(shared_font_cache):
    first = fonts.lean_font_path()
    built = first.stat()
    second = fonts.lean_font_path()
    assert second == first
    assert second.stat().st_mtime_ns == built.st_mtime_ns
    assert second.stat().st_ino == built.st_ino
    assert first.parent == shared_font_cache


def test_lean_font_holds_gb2312_and_a_name_of_its_own():
    font = TTFont(fonts.lean_font_path())
    cmap = font.getBestCmap()
    for character in "盘锦市大洼区丰收农资经营部（）：；、。〔〕《》①№□":
        assert ord(character) in cmap, character
    assert 0x4DAE not in cmap  # 䶮 comes from the full font
    assert font["name"].getBestFamilyName() == fonts.LEAN_FAMILY
    assert not {"EBDT", "EBLC", "GSUB", "GPOS", "vmtx"} & set(font.keys())


def make_tiny_font(path: Path) -> Path:
    """A three-glyph TrueType font: builds in milliseconds, unlike a CJK font."""
    names = [".notdef", "A", "uni4E00"]
    pen = TTGlyphPen(None)
    pen.moveTo((100, 0))
    pen.lineTo((100, 700))
    pen.lineTo((600, 700))
    pen.closePath()
    glyph = pen.glyph()
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({0x41: "A", 0x4E00: "uni4E00"})
    builder.setupGlyf(dict.fromkeys(names, glyph))
    builder.setupHorizontalMetrics(dict.fromkeys(names, (1000, 100)))
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": "Tiny Test", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    builder.save(str(path))
    return path


@pytest.fixture
def tiny_font_setup(settings, tmp_path, monkeypatch):
    settings.PDF_FONT = str(make_tiny_font(tmp_path / "tiny.ttf"))
    settings.FONT_CACHE_DIR = tmp_path / "cache"
    builds = []
    real_write = fonts._write_lean_font

    def counting_write(source, handle):
        builds.append(source)
        real_write(source, handle)

    monkeypatch.setattr(fonts, "_write_lean_font", counting_write)
    return builds


def test_lean_font_is_rebuilt_when_the_font_package_changes(tiny_font_setup, settings):
    first = fonts.lean_font_path()
    assert fonts.lean_font_path() == first
    assert len(tiny_font_setup) == 1
    source = Path(settings.PDF_FONT)
    later = source.stat().st_mtime_ns + 10**9
    os.utime(source, ns=(later, later))  # as an upgraded package would
    second = fonts.lean_font_path()
    assert second != first
    assert second.is_file()
    assert len(tiny_font_setup) == 2
    assert TTFont(second)["name"].getBestFamilyName() == fonts.LEAN_FAMILY


def test_concurrent_first_use_builds_the_lean_font_once(tiny_font_setup, settings):
    paths: list[Path] = []
    barrier = threading.Barrier(4)

    def first_use() -> None:
        barrier.wait()
        paths.append(fonts.lean_font_path())

    threads = [threading.Thread(target=first_use) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(paths)) == 1
    assert len(tiny_font_setup) == 1
    leftovers = [p.name for p in Path(settings.FONT_CACHE_DIR).iterdir() if p.suffix == ".tmp"]
    assert leftovers == []


def test_a_failed_build_leaves_no_font_behind(settings, tmp_path, monkeypatch):
    settings.PDF_FONT = str(make_tiny_font(tmp_path / "tiny.ttf"))
    settings.FONT_CACHE_DIR = tmp_path / "cache"

    def failing_write(source, handle):
        handle.write(b"half a font")
        raise OSError("disk full")

    monkeypatch.setattr(fonts, "_write_lean_font", failing_write)
    with pytest.raises(OSError, match="disk full"):
        fonts.lean_font_path()
    assert [p.name for p in (tmp_path / "cache").iterdir() if p.name != ".lean-font.lock"] == []


def test_a_configured_font_that_does_not_exist_is_refused(settings, tmp_path):
    settings.PDF_FONT = str(tmp_path / "missing.ttf")
    with pytest.raises(ImproperlyConfigured, match=r"missing\.ttf"):
        fonts.source_font()


def test_without_any_chinese_font_the_admin_is_told_what_to_install(settings, monkeypatch):
    settings.PDF_FONT = ""
    monkeypatch.setattr(fonts, "KNOWN_FONTS", ())
    monkeypatch.setattr(fonts, "_fontconfig_chinese_truetype", lambda: None)
    fonts._find_source_font.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured, match="apt-get install fonts-arphic-uming"):
            fonts.source_font()
    finally:
        fonts._find_source_font.cache_clear()


def test_the_arphic_font_is_preferred(settings):
    settings.PDF_FONT = ""
    source = fonts.source_font()
    assert source.path.name == "uming.ttc"
    assert source.index == 0  # AR PL UMing CN


def test_fontconfig_finds_a_chinese_truetype_font():
    found = fonts._fontconfig_chinese_truetype()
    assert found is not None
    assert found.path.is_file()
