"""Watermarks on copies (R21.1): every PDF or image opened or downloaded outside the
issuing workflow carries who opened it, their unit, when, and the 调阅 request it was
opened under, stamped as it is delivered.

The stored file is never touched (its digest stays what the log and the case file
record); the watermarked bytes are a new file made for this delivery. A sealed PDF's
signature covers the original bytes only, so the copy says on every page that it is a
copy and that the seal is verified against the original.

pypdf and Pillow load on the first stamp, not with the web process.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from html import escape
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.documents.printing import fonts, pdf

# Pillow formats by content type: what an image copy is written back as.
IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}


@dataclass(frozen=True)
class Viewer:
    """Who receives the copy and under which request: the words of the watermark."""

    name: str
    unit: str
    at: str  # local time, as people read it
    request_number: str = ""

    def lines(self) -> list[str]:
        first = " ".join(part for part in (self.name, self.unit, self.at) if part)
        lines = [first]
        if self.request_number:
            lines.append(_("Retrieval request %(number)s") % {"number": self.request_number})
        lines.append(_("Watermarked copy, not the original: verify seals against the original."))
        return lines


def _overlay_html(lines: list[str]) -> str:
    text = "<br>".join(escape(line) for line in lines)
    diagonal = escape(lines[0])
    return (
        '<div style="position:absolute;top:4pt;left:6pt;right:6pt;font-size:8pt;'
        f'color:rgba(200,0,0,0.85)">{text}</div>'
        '<div style="position:absolute;top:45%;left:0;right:0;text-align:center;'
        'font-size:30pt;color:rgba(200,0,0,0.18);transform:rotate(-30deg)">'
        f"{diagonal}</div>"
    )


def stamp_pdf(data: bytes, viewer: Viewer) -> bytes:
    """``data`` with the watermark laid over every page; a new file (a copy)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(data))
    html = _overlay_html(viewer.lines())
    overlays: dict[tuple[float, float], Any] = {}
    for page in writer.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        if size not in overlays:
            layer = PdfReader(io.BytesIO(pdf.render_overlay_pdf(html, *size)))
            overlays[size] = layer.pages[0]
        page.merge_page(overlays[size])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def stamp_image(data: bytes, content_type: str, viewer: Viewer) -> bytes:
    """``data`` (JPEG or PNG) with the watermark drawn on it; a new file (a copy)."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.open(io.BytesIO(data))
    image.load()
    base = image.convert("RGBA")
    layer = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    size = max(12, base.width // 40)
    source = fonts.source_font()
    font = ImageFont.truetype(str(source.path), size, index=source.index)
    y = size // 2
    for line in viewer.lines():
        draw.text((size // 2, y), line, font=font, fill=(200, 0, 0, 220))
        y += int(size * 1.4)
    big = ImageFont.truetype(str(source.path), size * 2, index=source.index)
    draw.text(
        (base.width // 6, base.height // 2), viewer.lines()[0], font=big, fill=(200, 0, 0, 70)
    )
    stamped = Image.alpha_composite(base, layer)
    form = IMAGE_FORMATS.get(content_type, "PNG")
    out = io.BytesIO()
    (stamped.convert("RGB") if form == "JPEG" else stamped).save(out, format=form)
    return out.getvalue()


def stamp(data: bytes, content_type: str, viewer: Viewer) -> bytes | None:
    """The watermarked copy of a PDF or image; None for any other kind of file."""
    if content_type == "application/pdf":
        return stamp_pdf(data, viewer)
    if content_type in IMAGE_FORMATS:
        return stamp_image(data, content_type, viewer)
    return None


def viewer_of(user: Any, request_number: str = "") -> Viewer:
    """The watermark's words for ``user`` now (local time), under ``request_number``."""
    return Viewer(
        name=user.display_name,
        unit=str(user.unit) if user.unit_id else "",
        at=f"{timezone.localtime():%Y-%m-%d %H:%M}",
        request_number=request_number,
    )


def stamp_copy(data: bytes, content_type: str, user: Any, request_number: str = "") -> bytes | None:
    """The copy of ``data`` handed to ``user`` (``registry.copy_watermarks``); None for a
    file that is no PDF or image."""
    if content_type != "application/pdf" and content_type not in IMAGE_FORMATS:
        return None
    return stamp(data, content_type, viewer_of(user, request_number))
