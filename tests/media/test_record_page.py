"""The AV record page (R21.1, R15.1, R17.1, R16.1): who may open it, what it shows —
the record's facts, digests, the probe, the player, the download button — and that
opening it is one audited viewing."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from liuhen.core.audit import SYSTEM
from liuhen.core.models import AuditEvent, Outcome
from liuhen.devices import actions as device_actions
from liuhen.media.actions.ingest import probe_record
from liuhen.media.models import (
    AvDisposal,
    AvRecord,
    AvSource,
    DisposalDecision,
    DisposalItem,
    DisposalRequest,
)
from tests.factories import sign_in
from tests.fixtures.media import ingest_bytes
from tests.media import media_factory as make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _blobs(settings: Any, tmp_path: Path) -> None:
    settings.BLOB_URL = str(tmp_path / "blobs")
    settings.SENDFILE = ""


@pytest.fixture
def two_second_record(officer_wang, recorder) -> AvRecord:
    return ingest_bytes(officer_wang, make.make_mp4(seconds=2), "现场检查.mp4", device=recorder)


def _page(client: Any, record: AvRecord) -> Any:
    return client.get(reverse("media:record", args=[record.pk]))


def _testid(text: str, name: str) -> str:
    """The text of the element with ``data-testid=name`` (first one)."""
    marker = f'data-testid="{name}"'
    assert marker in text, name
    start = text.index(">", text.index(marker)) + 1
    return html.unescape(text[start : text.index("<", start)]).strip()


def test_the_officer_sees_the_record_probe_and_player(
    client, officer_wang, two_second_record, recorder
):
    probe_record(SYSTEM, two_second_record.pk)
    client.force_login(officer_wang)
    response = _page(client, two_second_record)
    assert response.status_code == 200
    text = response.content.decode()
    assert _testid(text, "record-number") == f"AV-{two_second_record.pk}"
    assert _testid(text, "record-name") == "现场检查.mp4"
    assert _testid(text, "record-unit") == officer_wang.unit.name
    assert "DSJ0001" in text
    assert two_second_record.blob.sha256 in text and two_second_record.blob.sm3 in text
    assert f"{two_second_record.blob.size} " in _testid(text, "record-size") + " "
    # The probe: duration, formats, resolution, creation time; the poster.
    assert _testid(text, "probe-duration") == "0:02"
    assert _testid(text, "probe-video") == "h264"
    assert _testid(text, "probe-audio") == "aac"
    assert _testid(text, "probe-resolution") == "640 × 360"
    assert _testid(text, "probe-created") == "2024-05-01 16:30:00"  # shown in Asia/Shanghai
    thumbnail = reverse("media:thumbnail", args=[two_second_record.pk])
    assert f'poster="{thumbnail}"' in text and 'data-testid="record-thumbnail"' in text
    # The player: the play URL with this viewing's token; no download for the officer.
    play_url = html.escape(response.context["play_url"])
    assert f'<video controls preload="metadata" playsinline src="{play_url}"' in text
    assert 'data-testid="record-download"' not in text
    # The links panel of the linking work is on the page.
    assert 'data-testid="record-links"' in text


def test_opening_the_page_is_one_audited_viewing(client, officer_wang, two_second_record):
    client.force_login(officer_wang)
    _page(client, two_second_record)
    _page(client, two_second_record)
    events = AuditEvent.objects.filter(action="media.view", object_id=str(two_second_record.pk))
    assert events.count() == 2  # two viewings
    assert events.first().actor_id == str(officer_wang.pk)


@pytest.mark.parametrize("who", ["head_zhang", "custodian_zhou", "agency_head_liu"])
def test_those_allowed_see_the_download_button(client, two_second_record, who, request):
    client.force_login(request.getfixturevalue(who))
    text = _page(client, two_second_record).content.decode()
    assert reverse("media:download", args=[two_second_record.pk]) in text


@pytest.mark.parametrize("who", ["officer_li", "sysadmin_zhao", "auditor_chen", "secadmin_qian"])
def test_others_get_not_found(client, two_second_record, who, request):
    sign_in(client, request.getfixturevalue(who))
    assert _page(client, two_second_record).status_code == 404
    # Not viewed; the attempt is on record as a denial, without revealing the record.
    [event] = AuditEvent.objects.filter(action="media.view")
    assert event.outcome == Outcome.DENIED and event.object_id == str(two_second_record.pk)
    assert event.object_type == "media.avrecord"


def test_anonymous_is_sent_to_log_in(client, two_second_record):
    response = _page(client, two_second_record)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_not_probed_yet_and_unreadable(client, officer_wang):
    broken = ingest_bytes(officer_wang, b"garbage" * 100, "broken.mp4")
    client.force_login(officer_wang)
    assert 'data-testid="probe-pending"' in _page(client, broken).content.decode()
    probe_record(SYSTEM, broken.pk)
    text = _page(client, broken).content.decode()
    assert 'data-testid="probe-error"' in text and 'data-testid="record-thumbnail"' not in text


def test_photo_shows_inline_with_exif_time_and_gps(client, officer_wang):
    photo = ingest_bytes(officer_wang, make.make_jpeg(), "IMG_0001.JPG")
    probe_record(SYSTEM, photo.pk)
    client.force_login(officer_wang)
    response = _page(client, photo)
    text = response.content.decode()
    play_url = html.escape(response.context["play_url"])
    assert f'<img class="img-fluid rounded d-block mx-auto" src="{play_url}"' in text
    assert _testid(text, "probe-created") == "2024-05-01 16:31:05"
    assert _testid(text, "probe-gps") == "40.994500, 122.083000"
    assert _testid(text, "probe-resolution") == "1024 × 768"


def test_audio_gets_an_audio_player(client, officer_wang):
    sound = ingest_bytes(officer_wang, make.make_wav(), "询问录音.wav")
    client.force_login(officer_wang)
    text = _page(client, sound).content.decode()
    assert '<audio class="w-100" controls preload="metadata"' in text


def test_other_files_have_no_player(client, custodian_zhou, officer_wang):
    other = ingest_bytes(officer_wang, b"%PDF-1.4", "说明.pdf")
    client.force_login(custodian_zhou)
    text = _page(client, other).content.decode()
    assert 'data-testid="record-not-playable"' in text and 'data-testid="record-player"' not in text


def test_upload_deadline_lateness_and_reason(client, custodian_zhou, officer_wang, recorder):
    """R15.1: the deadline, the late flag and the recorded reason are on the page."""
    now = timezone.localtime()
    two_days = now - dt.timedelta(days=2)
    device_actions.check_out(
        custodian_zhou, recorder, holder=officer_wang, at=two_days - dt.timedelta(hours=3)
    )
    device_actions.return_device(custodian_zhou, recorder, at=two_days)
    late = ingest_bytes(
        officer_wang,
        b"late clip",
        "late.mp4",
        device=recorder,
        captured_at=two_days - dt.timedelta(hours=2),
        late_reason="remote_area",
        late_reason_text="山区无信号",
    )
    assert late.late
    client.force_login(officer_wang)
    text = _page(client, late).content.decode()
    assert 'data-testid="late-badge"' in text
    assert _testid(text, "record-officer") == officer_wang.display_name
    assert _testid(text, "record-due") == timezone.localtime(late.due_at).strftime("%Y-%m-%d %H:%M")
    assert "山区无信号" in _testid(text, "record-late-reason")
    # The label names what the value says: never "按时上传: 逾期上传".
    assert _testid(text, "record-lateness-label") == "上传时效"
    value = text[text.index('data-testid="record-lateness"') :]
    assert "逾期上传" in value[: value.index("</dd>")]


def test_third_party_provenance(client, officer_wang):
    """R17.1: who provided it, how and when it was obtained."""
    material = ingest_bytes(
        officer_wang,
        make.make_jpeg(),
        "监控截图.jpg",
        source=AvSource.THIRD_PARTY,
        provider="某养殖场",
        channel="当事人提供 U 盘",
        obtained_at=timezone.now() - dt.timedelta(days=1),
    )
    client.force_login(officer_wang)
    text = _page(client, material).content.decode()
    assert 'data-testid="third-party-badge"' in text
    assert _testid(text, "record-provider") == "某养殖场"
    assert _testid(text, "record-channel") == "当事人提供 U 盘"


def test_disposed_record_has_no_player_and_no_download(
    client, custodian_zhou, agency_head_liu, two_second_record
):
    asked = DisposalRequest.objects.create(reason="保管期限届满", requested_by=custodian_zhou)
    DisposalItem.objects.create(request=asked, record=two_second_record)
    decision = DisposalDecision.objects.create(
        request=asked, approved=True, opinion="同意", by=agency_head_liu
    )
    AvDisposal.objects.create(record=two_second_record, decision=decision, blob_removed=True)
    client.force_login(custodian_zhou)
    text = _page(client, two_second_record).content.decode()
    assert 'data-testid="record-disposed"' in text and 'data-testid="disposed-badge"' in text
    assert 'data-testid="record-player"' not in text and 'data-testid="record-download"' not in text
