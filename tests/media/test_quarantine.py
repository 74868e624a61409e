"""R14.1, R5.2: the probe decides what is a recording. A web page, an SVG, a program or a
text renamed ``.mp4`` (or ``.jpg``) that came in by upload or from a collection station is
kept but quarantined: audited, listed for the custodian, never linked and never counted as
the AV record an activity needs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from liuhen.activities.av import linked_av_count
from liuhen.cases import compliance
from liuhen.core.audit import SYSTEM
from liuhen.core.models import AuditEvent
from liuhen.media.actions import curation
from liuhen.media.actions.ingest import probe_record
from liuhen.media.models import AvQuarantine, AvRecord
from tests.factories import sign_in
from tests.fixtures.media import ingest_bytes
from tests.media.linking import H
from tests.media.media_factory import make_jpeg, make_m4a, make_mp4
from tests.media.tus_helpers import API, OFFSET_TYPE, TUS, metadata

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("activity_types")]

HTML = b"<!doctype html><html><head><title>x</title></head><body>not a video</body></html>\n"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">'
    b'<rect width="64" height="64" fill="red"/></svg>\n'
)
EXE = b"MZ\x90\x00\x03" + bytes(59) + b"PE\x00\x00\x4c\x01" + bytes(range(256)) * 8
TEXT = "执法记录仪现场检查笔录\n".encode() * 40

NOT_MEDIA = [
    ("page.mp4", HTML),
    ("drawing.mp4", SVG),
    ("drawing.jpg", SVG),
    ("setup.mp4", EXE),
    ("notes.mp4", TEXT),
    ("notes.wav", TEXT),
]


@pytest.mark.parametrize(("name", "data"), NOT_MEDIA, ids=[n for n, _ in NOT_MEDIA])
def test_a_file_that_is_no_recording_is_quarantined(officer_wang, name: str, data: bytes) -> None:
    record = ingest_bytes(officer_wang, data, name)
    probe = probe_record(SYSTEM, record.pk)
    assert probe.error
    quarantine = AvQuarantine.objects.get(record=record)
    assert quarantine.reason == probe.error
    event = AuditEvent.objects.get(action="media.quarantine")
    assert event.object_id == str(record.pk) and event.outcome == "failed"
    assert event.details["name"] == name and event.details["reason"] == quarantine.reason
    # The bytes and the record row are kept (nothing that came in is deleted).
    assert AvRecord.objects.filter(pk=record.pk).exists()
    # Probing again changes nothing.
    probe_record(SYSTEM, record.pk)
    assert AvQuarantine.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "make"),
    [("clip.mp4", make_mp4), ("photo.jpg", make_jpeg), ("sound.m4a", make_m4a)],
)
def test_real_recordings_are_not_quarantined(officer_wang, name: str, make: Any) -> None:
    record = ingest_bytes(officer_wang, make(), name)
    assert not probe_record(SYSTEM, record.pk).error
    assert not AvQuarantine.objects.exists()
    assert not AuditEvent.objects.filter(action="media.quarantine").exists()


def test_a_quarantined_file_never_counts_for_the_activity(
    officer_wang, case_a_two_officers, inspection_5h_ago
) -> None:
    """R5.2: a link made before the probe ran does not count, nor after the file is found
    out, and no new link can be made."""

    def codes() -> list[str]:
        return [f.code for f in compliance.findings_for_case(case_a_two_officers)]

    captured = inspection_5h_ago.started_at + H / 2
    fake = ingest_bytes(officer_wang, HTML, "page.mp4", officer=officer_wang, captured_at=captured)
    curation.confirm_suggestion(officer_wang, fake, inspection_5h_ago)
    assert linked_av_count(inspection_5h_ago) == 0 and codes() == ["av_missing"]
    probe_record(SYSTEM, fake.pk)
    assert linked_av_count(inspection_5h_ago) == 0 and codes() == ["av_missing"]

    other = ingest_bytes(officer_wang, EXE, "setup.mp4", officer=officer_wang, captured_at=captured)
    probe_record(SYSTEM, other.pk)
    with pytest.raises(ValidationError) as refused:
        curation.link(officer_wang, other, activity=inspection_5h_ago)
    assert "隔离" in str(refused.value)
    assert linked_av_count(inspection_5h_ago) == 0

    real = ingest_bytes(
        officer_wang, make_mp4(), "clip.mp4", officer=officer_wang, captured_at=captured
    )
    probe_record(SYSTEM, real.pk)
    curation.link(officer_wang, real, activity=inspection_5h_ago)
    assert linked_av_count(inspection_5h_ago) == 1 and codes() == []


def test_a_station_file_that_is_no_recording_is_quarantined(tmp_path: Path, station) -> None:
    folder = tmp_path / "dock"
    folder.mkdir()
    (folder / "CJZ01_0001.mp4").write_bytes(HTML)
    (folder / "CJZ01_0002.mp4").write_bytes(make_mp4())
    call_command("import_dock", str(folder), "--station", "CJZ01", stdout=None)
    for record in AvRecord.objects.all():
        probe_record(SYSTEM, record.pk)
    quarantined = AvRecord.objects.filter(quarantine__isnull=False)
    assert [r.original_name for r in quarantined] == ["CJZ01_0001.mp4"]


def test_the_custodian_sees_the_quarantined_files(
    client, officer_wang, custodian_zhou, secadmin_qian
) -> None:
    record = ingest_bytes(officer_wang, SVG, "drawing.mp4")
    probe_record(SYSTEM, record.pk)

    sign_in(client, custodian_zhou)
    html = client.get("/media/integrity/").content.decode()
    assert 'data-testid="quarantine-count">1<' in html
    assert f'data-testid="quarantined-{record.pk}"' in html and "drawing.mp4" in html
    assert "依据：制度第五条" in html
    page = client.get(f"/media/{record.pk}/").content.decode()
    assert 'data-testid="record-quarantined"' in page

    # The security admin reads no case data: the count, not the files.
    sign_in(client, secadmin_qian)
    html = client.get("/media/integrity/").content.decode()
    assert 'data-testid="quarantine-count">1<' in html
    assert "drawing.mp4" not in html

    # An officer may not open the integrity page at all.
    sign_in(client, officer_wang)
    assert client.get("/media/integrity/").status_code == 403


def _tus_upload(client: Client, data: bytes, name: str, captured_at: dt.datetime) -> AvRecord:
    """The whole file in one PATCH through the tus endpoint; the record it made."""
    created = client.post(
        API,
        headers={
            **TUS,
            "Upload-Length": str(len(data)),
            "Upload-Metadata": metadata(filename=name, captured_at=captured_at.isoformat()),
        },
    )
    assert created.status_code == 201, created.content
    done = client.patch(
        created["Location"],
        data,
        content_type=OFFSET_TYPE,
        headers={**TUS, "Upload-Offset": "0"},
    )
    assert done.status_code == 204, done.content
    return AvRecord.objects.get(pk=done["Liuhen-Record"].rstrip("/").rsplit("/", 1)[-1])


@pytest.mark.usefixtures("blob_root")
def test_a_fake_linked_before_its_probe_never_lifts_the_missing_av_block(
    client, officer_wang, case_a_two_officers, inspection_5h_ago, django_capture_on_commit_callbacks
) -> None:
    """R5.2: an officer links a file the moment its upload completes, before the worker
    has probed it. Until the probe has found a recording the link does not count; the
    web page renamed ``.mp4`` is then quarantined and never counts, the real clip does."""

    def codes() -> list[str]:
        return [f.code for f in compliance.findings_for_case(case_a_two_officers)]

    client.force_login(officer_wang)
    captured = inspection_5h_ago.started_at + H / 2
    with django_capture_on_commit_callbacks() as queued:
        fake = _tus_upload(client, HTML, "page.mp4", captured)
    assert queued, "the probe is queued when the upload's record commits"
    assert fake.probe_or_none() is None
    curation.link(officer_wang, fake, activity=inspection_5h_ago)
    assert linked_av_count(inspection_5h_ago) == 0 and codes() == ["av_missing"]

    probe_record(SYSTEM, fake.pk)  # what the queued task does
    assert AvQuarantine.objects.filter(record=fake).exists()
    assert linked_av_count(inspection_5h_ago) == 0 and codes() == ["av_missing"]

    page = f"/activities/{inspection_5h_ago.pk}/"
    real = _tus_upload(client, make_mp4(), "clip.mp4", captured)
    curation.link(officer_wang, real, activity=inspection_5h_ago)
    assert linked_av_count(inspection_5h_ago) == 0 and codes() == ["av_missing"]
    # The page lists the link and says why it does not count yet.
    html = client.get(page).content.decode()
    assert f'data-av="{real.pk}"' in html and 'data-testid="av-awaiting-probe"' in html
    assert "已关联 0 条音像记录。" in html
    probe_record(SYSTEM, real.pk)
    assert linked_av_count(inspection_5h_ago) == 1 and codes() == []
    assert 'data-testid="av-awaiting-probe"' not in client.get(page).content.decode()
