"""The visible image of the bureau's electronic seal (R18.2): a red round official seal.

Drawn the way official seals are cut: a red ring, the bureau's name in 宋体 around the upper arc,
a five-pointed star in the middle and an optional line of text under it (e.g. 行政执法专用章).
The PNG has a transparent background so the printed text under the seal line shows through.
"""

from __future__ import annotations

import io
import math
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from liuhen.documents.printing.fonts import source_font

SEAL_RED = (214, 24, 32, 255)
# Drawn larger and scaled down: Pillow's shapes are not anti-aliased.
SUPERSAMPLE = 3
# The name never runs further round than this (degrees, centred on the top).
MAX_NAME_ARC = 250.0


def seal_png(bureau_name: str, size_px: int = 300, *, bottom_text: str = "") -> bytes:
    side = size_px * SUPERSAMPLE
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    centre = side / 2
    radius = side * 0.48
    ring_width = side * 0.035

    draw.ellipse(
        (centre - radius, centre - radius, centre + radius, centre + radius),
        outline=SEAL_RED,
        width=round(ring_width),
    )
    _draw_star(draw, centre, centre, side * 0.17)
    _draw_name_on_arc(image, bureau_name, centre, radius - ring_width)
    if bottom_text:
        _draw_bottom_text(draw, bottom_text, centre, side)

    image = image.resize((size_px, size_px), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _draw_star(draw: ImageDraw.ImageDraw, cx: float, cy: float, outer: float) -> None:
    inner = outer * 0.382  # the regular pentagram's ratio
    points = []
    for i in range(10):
        r = outer if i % 2 == 0 else inner
        angle = math.radians(-90 + i * 36)  # first point straight up
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    draw.polygon(points, fill=SEAL_RED)


def _draw_name_on_arc(image: Image.Image, name: str, centre: float, inner_edge: float) -> None:
    """Each character stands upright on the arc, its foot towards the centre, reading clockwise
    from lower left over the top to lower right."""
    if not name:
        return
    font_size = inner_edge * 0.30
    # Shrink long names until they fit within the arc.
    while True:
        text_radius = inner_edge - font_size * 0.9
        step = math.degrees(font_size * 1.12 / text_radius)
        if step * (len(name) - 1) <= MAX_NAME_ARC or font_size < inner_edge * 0.1:
            break
        font_size *= 0.94
    # Short names spread a little wider than their natural spacing, as seal cutters do.
    step = min(MAX_NAME_ARC / max(len(name) - 1, 1), step * 1.25)
    font = _font(round(font_size))
    stroke = max(1, round(font_size * 0.035))  # UMing is light; seals are cut bold
    start = -step * (len(name) - 1) / 2

    for index, char in enumerate(name):
        angle = start + index * step  # 0 = top, clockwise
        tile_side = round(font_size * 1.5)
        tile = Image.new("RGBA", (tile_side, tile_side), (0, 0, 0, 0))
        ImageDraw.Draw(tile).text(
            (tile_side / 2, tile_side / 2),
            char,
            font=font,
            fill=SEAL_RED,
            anchor="mm",
            stroke_width=stroke,
            stroke_fill=SEAL_RED,
        )
        tile = tile.rotate(-angle, resample=Image.Resampling.BICUBIC)
        x = centre + text_radius * math.sin(math.radians(angle))
        y = centre - text_radius * math.cos(math.radians(angle))
        image.alpha_composite(tile, (round(x - tile_side / 2), round(y - tile_side / 2)))


def _draw_bottom_text(draw: ImageDraw.ImageDraw, text: str, centre: float, side: float) -> None:
    font_size = min(side * 0.075, side * 0.5 / len(text))
    draw.text(
        (centre, centre + side * 0.27),
        text,
        font=_font(round(font_size)),
        fill=SEAL_RED,
        anchor="mm",
        stroke_width=max(1, round(font_size * 0.03)),
        stroke_fill=SEAL_RED,
    )


def _font(size: int) -> ImageFont.FreeTypeFont:
    # The same 宋体 as the printed forms (fonts.py finds it).
    font = source_font()
    return _load_font(str(font.path), font.index, size)


@cache
def _load_font(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, index=index)
