"""R21.1 in the browser: a stored MP4 (H.264/AAC, made by the suite) plays on the record
page of a tablet and seeks to the middle; the player's requests are Range requests
answered 206, and the whole viewing is one audit event."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Response

from liuhen.core.audit import SYSTEM
from liuhen.core.models import AuditEvent
from liuhen.devices.actions import enrol_device
from liuhen.media.actions.ingest import probe_record
from tests.e2e.helpers import login
from tests.fixtures.media import ingest_bytes
from tests.media import media_factory as make

pytestmark = pytest.mark.django_db(transaction=True)

SECONDS = 20


def test_stored_mp4_plays_and_seeks_to_the_middle(tablet_page: Page, officer_wang, unit_a) -> None:
    recorder = enrol_device(SYSTEM, serial="DSJ0001", kind="recorder", unit=unit_a)
    data = make.make_mp4(seconds=SECONDS)
    record = ingest_bytes(officer_wang, data, "DSJ0001_20240501163000_0001.mp4", device=recorder)
    probe_record(SYSTEM, record.pk)
    answers: list[tuple[int, str]] = []

    def seen(response: Response) -> None:
        if f"/media/{record.pk}/play" in response.url:
            answers.append((response.status, response.headers.get("content-range", "")))

    tablet_page.on("response", seen)
    page = login(tablet_page, "officer_wang", next_url=f"/media/{record.pk}/")
    player = "document.querySelector('[data-testid=record-player]')"
    assert (
        page.evaluate(f"{player}.canPlayType('video/mp4; codecs=\"avc1.42E01E, mp4a.40.2\"')")
        == "probably"
    )
    page.wait_for_function(f"() => {player}.readyState >= 1")  # metadata: the duration is known
    assert page.evaluate(f"{player}.duration") == pytest.approx(SECONDS, abs=0.2)

    middle = page.evaluate(
        f"""() => new Promise((resolve, reject) => {{
            const video = {player};
            video.addEventListener('seeked', () => resolve(video.currentTime), {{once: true}});
            video.addEventListener('error', () => reject(video.error.message), {{once: true}});
            video.currentTime = video.duration / 2;
        }})"""
    )
    assert middle == pytest.approx(SECONDS / 2, abs=0.5)
    page.wait_for_function(f"() => {player}.readyState >= 2")  # a frame at the new position

    # It plays on from there (muted: a browser lets a page start muted sound itself).
    page.evaluate(f"() => {{ const v = {player}; v.muted = true; return v.play(); }}")
    page.wait_for_function(f"() => {player}.currentTime > {SECONDS / 2 + 0.5}")
    assert page.evaluate(f"{player}.error") is None

    partial = [content_range for status, content_range in answers if status == 206]
    assert partial, answers
    assert all(value.endswith(f"/{len(data)}") for value in partial)
    assert all(status in (200, 206) for status, _range in answers)
    # One viewing, however many Range requests the player made.
    assert AuditEvent.objects.filter(action="media.view", object_id=str(record.pk)).count() == 1
    assert not AuditEvent.objects.filter(action="media.play").exists()
