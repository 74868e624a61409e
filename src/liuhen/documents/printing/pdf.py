"""Renders a filled form to PDF (A4, official layout, CJK font embedded) and to the HTML of
the on-screen preview: one Django template, laid out by WeasyPrint.

The issuing code needs to know where the seal goes, so :func:`render_pdf` also returns the
box of the ``#seal`` element as WeasyPrint laid it out, in PDF coordinates.

WeasyPrint (with Pango, fontTools and pydyf behind it) is imported on the first render, not
when the module loads: every web process imports this module through the URL configuration,
and most never print a form.
"""

from __future__ import annotations

import base64
import datetime
import functools
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.template import Context, Engine

from liuhen.documents.printing import fonts
from liuhen.documents.printing.context import (
    PrintApproval,
    PrintContext,
    PrintSignature,
    RenderedPdf,
)
from liuhen.documents.printing.qr import qr_data_uri
from liuhen.documents.spec import FieldSpec, FieldType

if TYPE_CHECKING:
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

# Drafting rules (文书制作规范): every blank is filled or struck through with a slash.
EMPTY = "/"
# On a sealed form these fields print in the closing agency-and-date line under the seal,
# not as rows of their own.
SIGNOFF_FIELDS = ("agency", "issued_on")
_PX_TO_PT = 0.75  # CSS px are 1/96 in, PDF points 1/72 in
_SEAL_ID = "seal"

# A private template engine: printed forms do not depend on the site's template settings
# (context processors, app order) and nobody overrides them by accident.
# Printed forms have their own template folder: they are never served as web pages (the
# site's templates may hold no inline style; a PDF's layout is all inline style).
_ENGINE = Engine(dirs=[str(Path(__file__).resolve().parent / "print_templates")], autoescape=True)


@functools.cache
def _url_fetcher() -> URLFetcher:
    """The fetcher of embedded images (data:) and the lean font file, nothing else.

    Values typed into a form are escaped by the template; this is the second fence, so no
    form can make the server read a file or call a URL.
    """
    from weasyprint.urls import URLFetcher

    class _FormUrlFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:") or url == fonts.lean_font_path().as_uri():
                return super().fetch(url, headers)
            raise ValueError(f"printed forms fetch nothing from {url[:80]!r}")

    return _FormUrlFetcher(allowed_protocols={"file", "data"})


# A FontConfiguration keeps the @font-face font loaded between renders; fontconfig and
# Pango objects are not shared between threads, so each thread gets its own.
_thread_state = threading.local()


@dataclass(frozen=True)
class _Row:
    label: str
    text: str = ""
    paragraphs: tuple[str, ...] = ()
    header: tuple[str, ...] = ()
    table: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class _Signed:
    name: str
    opinion: str
    date: str
    image: str  # data URI, "" without a stroke image


@dataclass(frozen=True)
class _SignatureLine:
    role: str
    signatures: tuple[_Signed, ...]
    refusal: str


def render_html(ctx: PrintContext) -> str:
    """The form as HTML for the on-screen preview: what :func:`render_pdf` lays out, less
    the ``@font-face`` of the lean font (a server file; the browser uses its own fonts)."""
    return _render_template(ctx, font_face_css="")


def render_pdf(ctx: PrintContext) -> RenderedPdf:
    from weasyprint import HTML

    html = _render_template(ctx, font_face_css=fonts.font_face_css())
    document = HTML(string=html, url_fetcher=_url_fetcher()).render(
        font_config=_font_configuration()
    )
    seal_box = _find_seal_box(document) if ctx.spec.sealed else None
    return RenderedPdf(pdf=document.write_pdf(), pages=len(document.pages), seal_box=seal_box)


# A list another app prints (a case's trail): A4 landscape, ruled table, page numbers.
_LISTING_CSS = """
@page { size: A4 landscape; margin: 14mm 12mm;
        @bottom-center { content: "第 " counter(page) " 页 共 " counter(pages) " 页";
                         font-size: 9pt; } }
html { font-size: 9.5pt; line-height: 1.35; }
h1 { font-size: 15pt; text-align: center; margin: 0 0 4mm; }
p { margin: 0 0 2mm; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 0.6pt solid #000; padding: 1.2mm 1.6mm; vertical-align: top; text-align: left; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
"""


def render_listing_pdf(html: str) -> bytes:
    """A list as PDF (the ``pdf_renderers`` entry "html"): the page's HTML laid out with
    the printed forms' CJK font and a plain ruled style; it fetches nothing but that font."""
    from weasyprint import CSS, HTML

    config = _font_configuration()
    css = CSS(
        string=f"{fonts.font_face_css()}\nhtml {{ font-family: {fonts.font_family_stack()}; }}"
        + _LISTING_CSS,
        font_config=config,
        url_fetcher=_url_fetcher(),
    )
    document = HTML(string=html, url_fetcher=_url_fetcher())
    return bytes(document.write_pdf(stylesheets=[css], font_config=config))


# A bound file's own pages (a case file's cover and catalogue): A4 portrait, ruled tables.
_BOUND_PAGE_CSS = """
@page { size: A4; margin: 20mm 18mm; }
html { font-size: 11pt; line-height: 1.45; }
h1 { font-size: 20pt; text-align: center; margin: 10mm 0 8mm; letter-spacing: 0.2em; }
h2 { font-size: 15pt; text-align: center; margin: 0 0 5mm; }
h1, h2 { bookmark-level: none; }
section { break-after: page; }
section:last-child { break-after: auto; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 0.6pt solid #000; padding: 1.6mm 2mm; vertical-align: top; text-align: left; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
.number { position: absolute; top: -12mm; right: 0; font-size: 10pt; }
.note { min-height: 80mm; white-space: pre-wrap; }
"""


def render_bound_pages_pdf(html: str) -> tuple[bytes, int]:
    """Pages another app binds into a file (a case file's cover, catalogue and note): the
    HTML laid out A4 portrait with the forms' CJK font; (PDF, page count)."""
    from weasyprint import CSS, HTML

    config = _font_configuration()
    css = CSS(
        string=f"{fonts.font_face_css()}\nhtml {{ font-family: {fonts.font_family_stack()}; }}"
        + _BOUND_PAGE_CSS,
        font_config=config,
        url_fetcher=_url_fetcher(),
    )
    document = HTML(string=html, url_fetcher=_url_fetcher()).render(
        stylesheets=[css], font_config=config
    )
    return bytes(document.write_pdf()), len(document.pages)


def _font_configuration() -> FontConfiguration:
    config = getattr(_thread_state, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _thread_state.font_config = FontConfiguration()
    return config


def _render_template(ctx: PrintContext, *, font_face_css: str) -> str:
    context = _template_context(ctx)
    context["font_css"] = f"{font_face_css}\nhtml {{ font-family: {fonts.font_family_stack()}; }}"
    return _ENGINE.get_template("documents/pdf/form.html").render(Context(context))


def _template_context(ctx: PrintContext) -> dict[str, Any]:
    spec = ctx.spec
    return {
        "spec": spec,
        "bureau_name": ctx.bureau_name,
        "number": ctx.number,
        "rows": [
            _row(field, ctx.values.get(field.name, ""))
            for field in spec.fields
            if not (spec.sealed and field.name in SIGNOFF_FIELDS)
        ],
        "signoff_agency": ctx.values.get("agency", "").strip() or ctx.bureau_name,
        "signoff_date": _signoff_date(ctx),
        # R7.1: approvals (opinion, name, date) are printed into the internal form.
        "show_approvals": spec.internal or bool(ctx.approvals),
        "approvals": [_approval(approval) for approval in ctx.approvals],
        "signature_lines": _signature_lines(ctx),
        "page_signature": _page_signature(ctx),
        "draft": ctx.draft,
        "scan_note": ctx.scan_note,
        "verify_qr": qr_data_uri(ctx.verify_url) if ctx.verify_url else "",
        # R11.1: the penalty decision carries the payment QR.
        "payment_qr": qr_data_uri(ctx.payment_url) if spec.payment_qr and ctx.payment_url else "",
        "payment_notice_number": ctx.payment_notice_number,
        # R19.1: the party queries the case with this code.
        "query_url": ctx.query_url,
        "query_code": ctx.query_code,
    }


def _signoff_date(ctx: PrintContext) -> str:
    if ctx.issued_on:
        return _chinese_date(ctx.issued_on)
    typed = ctx.values.get("issued_on", "").strip()
    return _chinese_date_text(typed) if typed else ""


def _row(field: FieldSpec, value: str) -> _Row:
    value = (value or "").strip()
    if not value:
        return _Row(field.label, text=EMPTY)
    if field.type == FieldType.TEXTAREA:
        lines = tuple(line.strip() for line in value.splitlines() if line.strip())
        if len(lines) == 1:  # one paragraph runs on after its label, as on the paper forms
            return _Row(field.label, text=lines[0])
        return _Row(field.label, paragraphs=lines)
    if field.type == FieldType.ITEMS:
        return _items_row(field, value)
    if field.type == FieldType.DATE:
        return _Row(field.label, text=_chinese_date_text(value))
    if field.type == FieldType.DATETIME:
        return _Row(field.label, text=_chinese_datetime_text(value))
    return _Row(field.label, text=" ".join(value.split()))


def _items_row(field: FieldSpec, value: str) -> _Row:
    # One row per line, cells separated by "|"; an empty cell is struck through too.
    rows = [
        [cell.strip() or EMPTY for cell in line.split("|")]
        for line in value.splitlines()
        if line.strip()
    ]
    header = list(field.choices)  # an ITEMS field's choices are its column headers
    width = max([len(header), *(len(cells) for cells in rows)])
    table = tuple(tuple(cells + [EMPTY] * (width - len(cells))) for cells in rows)
    padded_header = tuple(header + [""] * (width - len(header))) if header else ()
    return _Row(field.label, header=padded_header, table=table)


def _approval(approval: PrintApproval) -> dict[str, str]:
    return {
        "role": approval.role,
        "opinion": approval.opinion,
        "name": approval.name,
        "date": _chinese_date(approval.signed_on),
    }


def _signature_lines(ctx: PrintContext) -> list[_SignatureLine]:
    """One line per ``spec.signers`` role, then any signature whose role the form lacks.

    The first signer is the party (or witness, interviewee): a refusal (R9.2) is printed on
    that line when it carries no signature. Any other line without a signature carries the
    unsigned mark where the context has one (the signed version: never silently blank).
    """
    roles = list(dict.fromkeys(ctx.spec.signers))
    roles += [s.role for s in ctx.signatures if s.role not in roles]
    lines = []
    for position, role in enumerate(dict.fromkeys(roles)):
        signed = tuple(_signed(s) for s in ctx.signatures if s.role == role)
        refusal = ""
        if not signed:
            refusal = (ctx.refusal if position == 0 else "") or ctx.unsigned_mark
        lines.append(_SignatureLine(role, signed, refusal))
    return lines


def _signed(signature: PrintSignature) -> _Signed:
    return _Signed(
        name=signature.name,
        opinion=signature.opinion,
        date=_chinese_date(signature.signed_on),
        image=_png_data_uri(signature.image_png) if signature.image_png else "",
    )


def _page_signature(ctx: PrintContext) -> dict[str, str] | None:
    # R9.1: transcripts are signed on every page; the footer repeats the party's line.
    spec = ctx.spec
    if not (spec.paginated and spec.signature and spec.signers):
        return None
    role = spec.signers[0]
    image = next(
        (s.image_png for s in ctx.signatures if s.role == role and s.image_png),
        None,
    )
    return {"role": role, "image": _png_data_uri(image) if image else ""}


def _png_data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _chinese_date_text(value: str) -> str:
    try:
        return _chinese_date(datetime.date.fromisoformat(value))
    except ValueError:
        return value  # typed by hand ("2026年3月5日"): printed as it is


def _chinese_datetime_text(value: str) -> str:
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return value
    return f"{_chinese_date(moment.date())}{moment.hour}时{moment.minute:02d}分"


def _find_seal_box(document: Any) -> tuple[int, float, float, float, float] | None:
    """The border box of ``#seal`` in PDF points, origin bottom-left, with its page index."""
    for index, page in enumerate(document.pages):
        page_height = page.height * _PX_TO_PT
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is None or element.get("id") != _SEAL_ID:
                continue
            if getattr(box, "element_tag", "").startswith("::"):
                continue  # a pseudo-element of #seal, not the box itself
            left = box.border_box_x() * _PX_TO_PT
            top = box.border_box_y() * _PX_TO_PT
            right = left + box.border_width() * _PX_TO_PT
            bottom = top + box.border_height() * _PX_TO_PT
            return (
                index,
                round(left, 2),
                round(page_height - bottom, 2),
                round(right, 2),
                round(page_height - top, 2),
            )
    return None


def render_overlay_pdf(html: str, width_pt: float, height_pt: float) -> bytes:
    """One transparent page of ``width_pt`` × ``height_pt`` with ``html`` on it, in the forms'
    CJK font: a layer to lay over another PDF's pages (the watermark of a copy)."""
    from weasyprint import CSS, HTML

    config = _font_configuration()
    css = CSS(
        string=f"{fonts.font_face_css()}\nhtml {{ font-family: {fonts.font_family_stack()}; }}"
        f"\n@page {{ size: {width_pt:.2f}pt {height_pt:.2f}pt; margin: 0; background: none; }}"
        "\nhtml, body { margin: 0; background: transparent; }",
        font_config=config,
        url_fetcher=_url_fetcher(),
    )
    document = HTML(string=html, url_fetcher=_url_fetcher())
    return bytes(document.write_pdf(stylesheets=[css], font_config=config))
