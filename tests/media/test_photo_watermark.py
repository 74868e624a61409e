"""Watermarked photos (R21.1): a photo of an AV record, and a record's preview, leave with
the viewer's name, unit, time and — under a 调阅 grant — the request number drawn on them;
the stored original is untouched (its SHA-256 stays the record's) and each download is
audited. Checked by pixels, not by reading the text: the original is one flat grey, so
every pixel the watermark touched stands out."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
from django.urls import reverse
from PIL import Image

from liuhen.core.blobs import get_store
from liuhen.core.models import AuditEvent
from liuhen.media.models import AvRecord
from liuhen.retrieval.actions import requests as retrieval
from tests.fixtures.media import ingest_bytes

pytestmark = pytest.mark.django_db

GREY = (128, 128, 128)
WIDTH, HEIGHT = 800, 600
# The watermark's font is WIDTH // 40 = 20 px, lines 28 px apart from y = 10: the third
# line (the request number's, under a grant) sits in this band, nothing else does.
THIRD_LINE = (72, 86)


def _grey_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (WIDTH, HEIGHT), GREY).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def photo(local_store, officer_wang) -> AvRecord:
    return ingest_bytes(officer_wang, _grey_png(), "现场照片.png")


def _marked(data: bytes, top: int, bottom: int) -> int:
    """How many pixels of rows ``top`` to ``bottom`` the (red) watermark touched."""
    image = Image.open(io.BytesIO(data)).convert("RGB")
    band = image.crop((0, top, image.width, bottom))
    pixels = band.tobytes()
    return sum(1 for i in range(0, len(pixels), 3) if pixels[i] - pixels[i + 1] > 40)


def _stored(record: AvRecord) -> bytes:
    with get_store().open(record.blob_id) as handle:
        return handle.read()


def _body(response: Any) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_a_downloaded_photo_carries_the_watermark_and_the_original_stays(
    client, photo, custodian_zhou
):
    original = _grey_png()
    client.force_login(custodian_zhou)
    url = reverse("media:download", args=[photo.pk])
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 200
    assert first["Content-Type"] == "image/png"
    assert first["Content-Disposition"].startswith("attachment; ")
    copy = _body(first)
    assert copy != original and Image.open(io.BytesIO(copy)).size == (WIDTH, HEIGHT)
    # The name, unit and time line at the top, the diagonal across the middle.
    assert _marked(copy, 8, 34) > 200
    assert _marked(copy, HEIGHT // 2, HEIGHT // 2 + 40) > 200
    # Far from both, the photo is as taken.
    assert _marked(copy, HEIGHT - 60, HEIGHT) == 0
    # No grant: no request number line.
    assert _marked(copy, *THIRD_LINE) == 0
    stored = _stored(photo)
    assert stored == original
    assert hashlib.sha256(stored).hexdigest() == photo.blob_id
    # One audit event per delivery.
    downloads = AuditEvent.objects.filter(action="media.download", outcome="ok")
    assert downloads.count() == 2
    assert {event.details["sha256"] for event in downloads} == {photo.blob_id}


def test_a_photo_shown_in_the_browser_carries_the_watermark(client, photo, officer_wang):
    client.force_login(officer_wang)
    shown = client.get(reverse("media:play", args=[photo.pk]))
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert "no-store" in shown["Cache-Control"] and not shown.has_header("ETag")
    assert _marked(_body(shown), 8, 34) > 200
    assert hashlib.sha256(_stored(photo)).hexdigest() == photo.blob_id


def test_under_a_grant_the_photo_names_the_request(client, photo, officer_wang, head_zhang):
    client.force_login(officer_wang)
    url = reverse("media:download", args=[photo.pk])
    assert client.get(url).status_code == 403
    filed = retrieval.file_request(
        officer_wang, kind="record", pk=photo.pk, access_kind="download", reason="移送需复制件"
    )
    retrieval.grant(head_zhang, filed)
    response = client.get(url)
    assert response.status_code == 200
    assert _marked(_body(response), *THIRD_LINE) > 50
    event = AuditEvent.objects.get(action="media.download", outcome="ok")
    assert event.details["grant"] == filed.number
    assert event.details["download_id"] in response["Content-Disposition"]
    assert hashlib.sha256(_stored(photo)).hexdigest() == photo.blob_id


def test_a_recording_is_not_decoded_but_streamed_as_stored(client, local_store, officer_wang):
    """Only images are stamped: video and sound stream byte for byte (the player overlays
    the viewer's mark instead)."""
    sound = ingest_bytes(officer_wang, b"ID3" + b"\0" * 64, "询问录音.mp3")
    client.force_login(officer_wang)
    response = client.get(reverse("media:play", args=[sound.pk]), HTTP_RANGE="bytes=0-")
    if response.status_code == 404:  # a type the browser is not given
        return
    assert response.streaming and _body(response) == b"ID3" + b"\0" * 64
