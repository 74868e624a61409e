"""Thumbnails of AV records: a small JPEG kept in the blob store like any other file.

A video's poster frame and a photo's preview are scaled to at most
:data:`THUMBNAIL_MAX` pixels on the longer side, so a register page of many records
stays light on a tablet.
"""

from __future__ import annotations

import io

from PIL import Image, ImageOps

from liuhen.core.blobs import store_blob
from liuhen.core.models import Blob

THUMBNAIL_MAX = 320
_QUALITY = 80


def thumbnail_bytes(image: Image.Image, *, orient: bool = False) -> bytes:
    """``image`` as a JPEG no larger than THUMBNAIL_MAX × THUMBNAIL_MAX.

    ``orient``: turn it upright first as its EXIF Orientation says (photos; the pixels
    of a photo taken on its side are stored sideways).
    """
    if orient:
        image = ImageOps.exif_transpose(image)
    image = image.copy()
    image.thumbnail((THUMBNAIL_MAX, THUMBNAIL_MAX), Image.Resampling.LANCZOS)
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=_QUALITY, optimize=True)
    return out.getvalue()


def store_thumbnail(image: Image.Image, *, orient: bool = False) -> Blob:
    """Make the thumbnail and keep it in the blob store (content-addressed, write-once)."""
    blob: Blob = store_blob(io.BytesIO(thumbnail_bytes(image, orient=orient)))
    return blob
