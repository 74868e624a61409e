"""Playback and download (R21.1, R14.1): HTTP Range (RFC 9110) streamed from either
blob store, access on every request, one audit event per viewing, downloads only for
those allowed and audited, nginx X-Accel-Redirect, disposed records gone, and no
change to a record through any of its URLs."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from django.urls import reverse

from liuhen.accounts.models import Role
from liuhen.core.audit import SYSTEM
from liuhen.core.models import AuditEvent, Outcome
from liuhen.media.actions.ingest import probe_record
from liuhen.media.models import (
    AvDisposal,
    AvRecord,
    DisposalDecision,
    DisposalItem,
    DisposalRequest,
)
from liuhen.media.playback import serving as playback
from liuhen.media.playback import tokens
from liuhen.media.playback.serving import ByteRange, RangeNotSatisfiable, parse_range
from tests.factories import sign_in
from tests.fixtures.media import ingest_bytes
from tests.media import media_factory as make

pytestmark = pytest.mark.django_db

NAME = "执法记录仪_现场检查.mp4"


@pytest.fixture(scope="module")
def video() -> bytes:
    return make.make_mp4(seconds=3)


@pytest.fixture
def recorded_video(officer_wang, recorder, video) -> AvRecord:
    return ingest_bytes(officer_wang, video, NAME, device=recorder)


def _play(record: AvRecord) -> str:
    return reverse("media:play", args=[record.pk])


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def _events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


# --- Range parsing (RFC 9110 §14) ------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("bytes=0-99", ByteRange(0, 99)),
        ("bytes=0-0", ByteRange(0, 0)),
        ("bytes=100-", ByteRange(100, 999)),
        ("bytes=-50", ByteRange(950, 999)),
        ("bytes=-5000", ByteRange(0, 999)),  # a suffix longer than the file: all of it
        ("bytes=990-5000", ByteRange(990, 999)),  # an end past the file is cut to it
        ("BYTES = 5-9", ByteRange(5, 9)),  # the unit is case-insensitive
        ("items=0-5", None),  # an unknown unit: ignored
        ("bytes=0-1,5-6", None),  # several ranges: the whole file
        ("bytes=0-1, 5-", None),
    ],
)
def test_parse_range(header, expected):
    assert parse_range(header, 1000) == expected


@pytest.mark.parametrize(
    "header",
    [
        "bytes=1000-",  # starts at the end
        "bytes=5000-6000",
        "bytes=9-5",  # last before first
        "bytes=-0",  # an empty suffix
        "bytes=-",
        "bytes=abc",
        "bytes=1-2-3",
        "bytes=+1-2",
        "bytes=0-1,x",
        "bytes",
    ],
)
def test_bad_or_unsatisfiable_ranges(header):
    with pytest.raises(RangeNotSatisfiable):
        parse_range(header, 1000)


def test_nothing_of_an_empty_file_is_satisfiable():
    with pytest.raises(RangeNotSatisfiable):
        parse_range("bytes=0-", 0)
    assert parse_range(None, 0) is None


def test_content_range():
    assert ByteRange(0, 99).content_range(1000) == "bytes 0-99/1000"
    assert ByteRange(0, 99).length == 100


def test_download_name_for_chinese_names():
    value = playback.disposition("attachment", NAME)
    assert value.startswith("attachment; ")
    assert f"filename*=UTF-8''{quote(NAME, safe='')}" in value
    assert 'filename="_.mp4"' in value  # the ASCII fallback keeps what it can


# --- streaming from both stores ---------------------------------------------------------


def test_whole_file_without_range(blob_backend, client, officer_wang, recorded_video, video):
    client.force_login(officer_wang)
    response = client.get(_play(recorded_video))
    assert response.status_code == 200 and response.streaming
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Length"] == str(len(video))
    assert response["ETag"] == f'"{recorded_video.blob_id}"'
    assert response["Content-Disposition"].startswith("inline; ")
    assert "no-store" in response["Cache-Control"]
    assert _body(response) == video


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [("bytes=0-99", 0, 99), ("bytes=1000-", 1000, None), ("bytes=-500", -500, None)],
)
def test_single_ranges_are_206(
    blob_backend, client, officer_wang, recorded_video, video, header, first, last
):
    client.force_login(officer_wang)
    size = len(video)
    start = first % size
    end = size - 1 if last is None else last
    response = client.get(_play(recorded_video), HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/{size}"
    assert response["Content-Length"] == str(end - start + 1)
    assert response["Accept-Ranges"] == "bytes"
    assert _body(response) == video[start : end + 1]


def test_range_past_the_end_is_416(blob_backend, client, officer_wang, recorded_video, video):
    client.force_login(officer_wang)
    for header in (f"bytes={len(video)}-", "bytes=10-5", "bytes=x-y"):
        response = client.get(_play(recorded_video), HTTP_RANGE=header)
        assert response.status_code == 416, header
        assert response["Content-Range"] == f"bytes */{len(video)}"
        assert response["Accept-Ranges"] == "bytes"


def test_several_ranges_get_the_whole_file(
    local_store, client, officer_wang, recorded_video, video
):
    client.force_login(officer_wang)
    response = client.get(_play(recorded_video), HTTP_RANGE="bytes=0-9,20-29")
    assert response.status_code == 200 and "Content-Range" not in response
    assert _body(response) == video


def test_if_range(local_store, client, officer_wang, recorded_video, video):
    client.force_login(officer_wang)
    same = client.get(
        _play(recorded_video), HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=f'"{recorded_video.blob_id}"'
    )
    assert same.status_code == 206 and _body(same) == video[:10]
    other = client.get(
        _play(recorded_video), HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"something-else"'
    )
    assert other.status_code == 200 and _body(other) == video


def test_head_has_the_headers_and_no_body(local_store, client, officer_wang, recorded_video, video):
    client.force_login(officer_wang)
    response = client.head(_play(recorded_video), HTTP_RANGE="bytes=10-19")
    assert response.status_code == 206
    assert response["Content-Length"] == "10"
    assert response["Content-Range"] == f"bytes 10-19/{len(video)}"
    assert response.content == b""


def test_streamed_in_chunks_not_read_whole(
    blob_backend, client, officer_wang, recorded_video, video, monkeypatch
):
    monkeypatch.setattr(playback, "STREAM_CHUNK", 8 * 1024)
    client.force_login(officer_wang)
    response = client.get(_play(recorded_video), HTTP_RANGE="bytes=100-")
    chunks = list(response.streaming_content)
    assert len(chunks) == -(-(len(video) - 100) // (8 * 1024))
    assert max(len(chunk) for chunk in chunks) == 8 * 1024
    assert b"".join(chunks) == video[100:]


# --- access and audit -------------------------------------------------------------------


def test_one_audit_event_per_viewing_not_per_range_request(
    local_store, client, officer_wang, recorded_video, video
):
    client.force_login(officer_wang)
    page = client.get(reverse("media:record", args=[recorded_video.pk]))
    assert page.status_code == 200
    assert _events("media.view") == 1
    play_url = page.context["play_url"]
    before = AuditEvent.objects.count()
    step = len(video) // 10
    for number in range(10):
        start = number * step
        response = client.get(play_url, HTTP_RANGE=f"bytes={start}-{start + step - 1}")
        assert response.status_code == 206
        assert _body(response) == video[start : start + step]
    assert AuditEvent.objects.count() == before


def test_play_without_a_viewing_token_is_audited_each_time(
    local_store, client, officer_wang, recorded_video
):
    client.force_login(officer_wang)
    for _number in range(2):
        assert client.get(_play(recorded_video), HTTP_RANGE="bytes=0-9").status_code == 206
    events = AuditEvent.objects.filter(action="media.play", object_id=str(recorded_video.pk))
    assert events.count() == 2
    assert events.first().details == {"range": "bytes=0-9"}


def test_a_token_is_bound_to_its_person_record_and_time(
    local_store, client, officer_wang, head_zhang, recorded_video, recorder, video, monkeypatch
):
    wang_token = tokens.viewing_token(officer_wang, recorded_video)
    other = ingest_bytes(officer_wang, video + b"\x00", "other.mp4", device=recorder)
    client.force_login(head_zhang)  # may play it, but with somebody else's token
    assert client.get(f"{_play(recorded_video)}?t={wang_token}").status_code == 200
    client.force_login(officer_wang)
    assert client.get(f"{_play(other)}?t={wang_token}").status_code == 200  # other record
    assert client.get(f"{_play(recorded_video)}?t={wang_token}x").status_code == 200  # tampered
    monkeypatch.setattr(tokens, "VIEWING_TOKEN_MAX_AGE", -1)
    assert client.get(f"{_play(recorded_video)}?t={wang_token}").status_code == 200  # expired
    assert _events("media.play") == 4
    monkeypatch.undo()
    assert client.get(f"{_play(recorded_video)}?t={wang_token}").status_code == 200
    assert _events("media.play") == 4


def test_access_is_checked_on_every_request(
    local_store, client, officer_li, sysadmin_zhao, recorded_video
):
    page = reverse("media:record", args=[recorded_video.pk])
    token = tokens.viewing_token(officer_li, recorded_video)
    for outsider in (officer_li, sysadmin_zhao):
        sign_in(client, outsider)
        assert client.get(page).status_code == 404
        assert client.get(f"{_play(recorded_video)}?t={token}").status_code == 404
        assert client.get(reverse("media:download", args=[recorded_video.pk])).status_code == 404
    client.logout()
    assert client.get(_play(recorded_video)).status_code == 302  # to the login page
    # Nothing was viewed or played; each attempt is on record as denied, naming the record.
    events = AuditEvent.objects.filter(action__in=["media.play", "media.view"])
    assert not events.exclude(outcome=Outcome.DENIED).exists()
    assert events.filter(action="media.view", object_id=str(recorded_video.pk)).count() == 6


# --- downloads (R14.1) ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["custodian_zhou", "agency_head_liu", "head_zhang"])
def test_download_allowed_and_audited(blob_backend, client, recorded_video, video, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("media:download", args=[recorded_video.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; ")
    assert f"filename*=UTF-8''{quote(NAME, safe='')}" in response["Content-Disposition"]
    assert _body(response) == video
    event = AuditEvent.objects.get(action="media.download")
    assert event.outcome == Outcome.OK and event.object_id == str(recorded_video.pk)
    assert event.details["sha256"] == recorded_video.blob_id and event.details["name"] == NAME


@pytest.mark.parametrize("who", ["officer_wang", "reviewer_sun", "supervisor_zheng"])
def test_download_denied_and_audited(local_store, client, recorded_video, who, request):
    """The officer who recorded it may play it but not take a copy away."""
    client.force_login(request.getfixturevalue(who))
    assert client.get(_play(recorded_video)).status_code == 200
    assert client.get(reverse("media:download", args=[recorded_video.pk])).status_code == 403
    denied = AuditEvent.objects.get(action="media.download")
    assert denied.outcome == Outcome.DENIED and denied.object_id == str(recorded_video.pk)


def test_download_by_a_unit_head_of_another_unit_is_not_found(
    local_store, client, recorded_video, unit_b
):
    from tests.fixtures.personas import make_person

    head_b = make_person("head_wu", "吴刚", [Role.UNIT_HEAD, Role.OFFICER], unit_b)
    client.force_login(head_b)
    assert client.get(reverse("media:download", args=[recorded_video.pk])).status_code == 404


# --- nginx X-Accel-Redirect ---------------------------------------------------------------


def test_nginx_mode_hands_the_file_to_nginx(
    local_store, settings, client, custodian_zhou, recorded_video
):
    settings.SENDFILE = "nginx"
    sha = recorded_video.blob_id
    client.force_login(custodian_zhou)
    played = client.get(_play(recorded_video), HTTP_RANGE="bytes=0-9")
    assert played.status_code == 200 and played.content == b""
    assert played["X-Accel-Redirect"] == f"/_blobs/{sha[:2]}/{sha[2:4]}/{sha}"
    assert played["Content-Type"] == "video/mp4"
    assert "Content-Range" not in played  # nginx answers the Range itself
    settings.SENDFILE_PREFIX = "/protected/av/"
    downloaded = client.get(reverse("media:download", args=[recorded_video.pk]))
    assert downloaded["X-Accel-Redirect"] == f"/protected/av/{sha[:2]}/{sha[2:4]}/{sha}"
    assert downloaded["Content-Disposition"].startswith("attachment; ")
    # Access and audit happened before the hand-over.
    assert _events("media.play") == 1 and _events("media.download") == 1


def test_nginx_mode_with_s3_streams_through_the_app(
    blob_backend, settings, client, officer_wang, recorded_video, video
):
    settings.SENDFILE = "nginx"
    client.force_login(officer_wang)
    response = client.get(_play(recorded_video), HTTP_RANGE="bytes=0-9")
    if blob_backend == "s3":
        assert response.status_code == 206 and "X-Accel-Redirect" not in response
        assert _body(response) == video[:10]
    else:
        assert response["X-Accel-Redirect"].endswith(recorded_video.blob_id)


def test_nginx_mode_still_checks_access(local_store, settings, client, officer_li, recorded_video):
    settings.SENDFILE = "nginx"
    client.force_login(officer_li)
    response = client.get(_play(recorded_video))
    assert response.status_code == 404 and "X-Accel-Redirect" not in response


# --- photos, sound, other files, thumbnails ----------------------------------------------


def test_photo_and_sound_play_inline(local_store, client, officer_wang):
    photo = ingest_bytes(officer_wang, make.make_jpeg(), "IMG_0001.JPG")
    sound = ingest_bytes(officer_wang, make.make_m4a(), "询问录音.m4a")
    client.force_login(officer_wang)
    assert client.get(_play(photo))["Content-Type"] == "image/jpeg"
    assert client.get(_play(sound), HTTP_RANGE="bytes=0-")["Content-Type"] == "audio/mp4"


def test_other_files_are_never_shown_inline(local_store, client, custodian_zhou, officer_wang):
    """An uploaded HTML page served from our origin could run as one of our pages."""
    page = ingest_bytes(officer_wang, b"<script>alert(1)</script>", "notes.html")
    client.force_login(custodian_zhou)
    assert client.get(_play(page)).status_code == 404
    downloaded = client.get(reverse("media:download", args=[page.pk]))
    assert downloaded.status_code == 200
    assert downloaded["Content-Disposition"].startswith("attachment; ")


def test_thumbnail(local_store, client, officer_wang, officer_li, recorded_video):
    url = reverse("media:thumbnail", args=[recorded_video.pk])
    client.force_login(officer_wang)
    assert client.get(url).status_code == 404  # not probed yet
    probe = probe_record(SYSTEM, recorded_video.pk)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    # R21.1: the preview is a watermarked copy, made for this viewer, not the stored frame.
    assert response.content[:3] == b"\xff\xd8\xff"
    assert not response.has_header("ETag") and probe.thumbnail_id
    client.force_login(officer_li)
    assert client.get(url).status_code == 404


# --- disposed records (R18.4) -------------------------------------------------------------


def _dispose(record: AvRecord, custodian: Any, head: Any) -> AvDisposal:
    asked = DisposalRequest.objects.create(reason="保管期限届满", requested_by=custodian)
    DisposalItem.objects.create(request=asked, record=record)
    decision = DisposalDecision.objects.create(
        request=asked, approved=True, opinion="同意", by=head
    )
    return AvDisposal.objects.create(record=record, decision=decision, blob_removed=False)


def test_a_disposed_record_is_gone(
    local_store, client, custodian_zhou, agency_head_liu, officer_li, recorded_video
):
    probe_record(SYSTEM, recorded_video.pk)
    _dispose(recorded_video, custodian_zhou, agency_head_liu)
    client.force_login(custodian_zhou)
    for name in ("play", "download", "thumbnail"):
        response = client.get(reverse(f"media:{name}", args=[recorded_video.pk]))
        assert response.status_code == 410, name
        assert "disposed" in response.content.decode() or "销毁" in response.content.decode()
    assert not AuditEvent.objects.filter(action__in=["media.play", "media.download"]).exists()
    client.force_login(officer_li)  # access first: an outsider learns nothing
    assert client.get(_play(recorded_video)).status_code == 404


# --- write-once (R14.1) -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["record", "play", "download", "thumbnail"])
@pytest.mark.parametrize("method", ["put", "patch", "delete", "post"])
def test_no_change_through_any_url(
    local_store, client, custodian_zhou, recorded_video, name, method
):
    client.force_login(custodian_zhou)
    url = reverse(f"media:{name}", args=[recorded_video.pk])
    response = getattr(client, method)(url, data=b"x", content_type="application/octet-stream")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    event = AuditEvent.objects.get(action="media.modify")
    assert event.outcome == Outcome.DENIED and event.object_id == str(recorded_video.pk)
    assert event.details == {"attempted": f"{method.upper()} {name}"}
    assert event.actor_id == str(custodian_zhou.pk)
    assert AvRecord.objects.filter(pk=recorded_video.pk).exists()
    assert client.get(_play(recorded_video), HTTP_RANGE="bytes=0-1").status_code == 206
