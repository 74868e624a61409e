"""The tus 1.0.0 endpoint at /api/v1/uploads/: every answer of the protocol, the checksum
extension, termination, expiry, and who may upload (R14.1, R15.1, R17.1)."""

from __future__ import annotations

import base64
import datetime as dt
import fcntl
import hashlib
import os
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from liuhen.accounts import session_keys
from liuhen.core.audit import SYSTEM
from liuhen.core.models import AuditEvent, Blob, Outcome
from liuhen.devices import actions as device_actions
from liuhen.media.actions import uploads as upload_actions
from liuhen.media.ingest import uploads
from liuhen.media.models import AvRecord, AvSource, TusUpload
from liuhen.media.tasks import expire_uploads as expire_task
from tests.fixtures.api import bearer
from tests.media.tus_helpers import (
    API,
    OFFSET_TYPE,
    TUS,
    device_token,
    digests,
    metadata,
    person_token,
    raw_device_token,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("blob_root")]

DATA = os.urandom(3 * 1024 * 1024 + 123)  # several 1 MiB chunks and a ragged end


@pytest.fixture
def wang_client(officer_wang) -> Client:
    client = Client()
    client.force_login(officer_wang)
    return client


def create(client: Client, length: int = len(DATA), headers: Any = None, **meta: str) -> Any:
    fields = {"filename": "clip.mp4", **meta}
    return client.post(
        API,
        headers={
            **TUS,
            "Upload-Length": str(length),
            "Upload-Metadata": metadata(**fields),
            **(headers or {}),
        },
    )


def patch(
    client: Client, location: str, body: bytes, offset: int, headers: Any = None, **extra: Any
) -> Any:
    return client.patch(
        location,
        body,
        content_type=extra.pop("content_type", OFFSET_TYPE),
        headers={**TUS, "Upload-Offset": str(offset), **(headers or {})},
        **extra,
    )


def head(client: Client, location: str, headers: Any = None) -> Any:
    return client.head(location, headers={**TUS, **(headers or {})})


def checksum(algorithm: str, body: bytes) -> dict[str, str]:
    digest = hashlib.new(algorithm, body).digest()
    return {"Upload-Checksum": f"{algorithm} {base64.b64encode(digest).decode()}"}


def upload_id(location: str) -> uuid.UUID:
    return uuid.UUID(location.rstrip("/").rsplit("/", 1)[-1])


def assert_code(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    assert response["Tus-Resumable"] == "1.0.0"
    assert response.json()["error"]["code"] == code


# --- discovery and versions ---------------------------------------------------------------------


def test_options_tells_what_the_server_supports(client):
    response = client.options(API)
    assert response.status_code == 204
    assert response["Tus-Version"] == "1.0.0"
    assert response["Tus-Resumable"] == "1.0.0"
    assert set(response["Tus-Extension"].split(",")) >= {"creation", "termination", "checksum"}
    assert int(response["Tus-Max-Size"]) >= 8 * 1024**3
    assert response["Tus-Checksum-Algorithm"] == "sha1,sha256"


def test_wrong_or_missing_protocol_version_is_412(wang_client):
    response = wang_client.post(API, headers={"Tus-Resumable": "0.2.2", "Upload-Length": "10"})
    assert_code(response, 412, "unsupported_version")
    assert response["Tus-Version"] == "1.0.0"
    location = create(wang_client)["Location"]
    assert wang_client.head(location).status_code == 412
    assert not TusUpload.objects.filter(length=10).exists()


# --- creation -------------------------------------------------------------------------------


def test_creation_is_201_with_location_and_an_empty_partial_file(
    wang_client, officer_wang, blob_root
):
    response = create(wang_client, device="")
    assert response.status_code == 201
    assert response["Tus-Resumable"] == "1.0.0"
    location = response["Location"]
    assert location.startswith(API)
    upload = TusUpload.objects.get(pk=upload_id(location))
    assert upload.created_by == officer_wang and upload.length == len(DATA)
    assert response["Upload-Expires"]
    # The partial file lives in the store's own tmp/ (completion links it, no copy).
    partial = blob_root / "tmp" / "uploads" / f"{upload.pk}.part"
    assert partial.exists() and partial.stat().st_size == 0
    event = AuditEvent.objects.get(action="media.upload", object_id=str(upload.pk))
    assert event.actor_id == str(officer_wang.pk) and event.details["name"] == "clip.mp4"
    assert not Blob.objects.exists() and not AvRecord.objects.exists()


def test_creation_needs_upload_length(wang_client):
    response = wang_client.post(API, headers={**TUS, "Upload-Metadata": metadata(filename="a.mp4")})
    assert_code(response, 400, "length_required")
    response = wang_client.post(API, headers={**TUS, "Upload-Length": "-5"})
    assert_code(response, 400, "bad_header")
    assert_code(create(wang_client, length=0), 400, "empty_file")
    assert not TusUpload.objects.exists()


def test_over_the_maximum_size_is_413(wang_client, settings):
    response = create(wang_client, length=settings.TUS_MAX_SIZE + 1)
    assert_code(response, 413, "too_large")
    assert create(wang_client, length=settings.TUS_MAX_SIZE).status_code == 201


@pytest.mark.parametrize(
    ("meta", "field"),
    [
        ({"filename": ""}, "filename"),
        ({"device": "NO-SUCH-DEVICE"}, "device"),
        ({"captured_at": "yesterday"}, "captured_at"),
        ({"captured_at": "2999-01-01T00:00:00+08:00"}, "captured_at"),
        ({"late_reason": "holiday"}, "late_reason"),
        ({"late_reason": "remote_area"}, "late_reason_text"),
        ({"source": "dock"}, "source"),
        ({"source": "third_party", "channel": "当事人提供"}, "provider"),
        ({"source": "third_party", "provider": "某超市", "channel": "调取"}, "obtained_at"),
    ],
)
def test_bad_metadata_is_400_before_any_byte_is_sent(wang_client, meta, field):
    response = create(wang_client, **meta)
    assert_code(response, 400, "validation_error")
    error = response.json()["error"]
    assert field in error["details"] and error["message"]
    assert not TusUpload.objects.exists()


def test_metadata_not_base64_is_400(wang_client):
    response = wang_client.post(
        API, headers={**TUS, "Upload-Length": "10", "Upload-Metadata": "filename %%%"}
    )
    assert_code(response, 400, "bad_metadata")


# --- PATCH ----------------------------------------------------------------------------------


def test_upload_in_chunks_resumes_from_head_and_becomes_a_record(
    wang_client, officer_wang, recorder, blob_root
):
    captured = timezone.now() - dt.timedelta(hours=2)
    location = create(
        wang_client, device=recorder.serial, captured_at=captured.isoformat(), filetype="video/mp4"
    )["Location"]
    first = patch(wang_client, location, DATA[:1_500_000], 0)
    assert first.status_code == 204
    assert first["Upload-Offset"] == "1500000" and "Liuhen-Record" not in first
    state = head(wang_client, location)
    assert state.status_code == 200
    assert state["Upload-Offset"] == "1500000" and state["Upload-Length"] == str(len(DATA))
    assert "no-store" in state["Cache-Control"].split(", ")  # tus 1.0.0: HEAD is never cached
    assert uploads.parse_metadata(state["Upload-Metadata"])["device"] == recorder.serial
    assert not state.content

    last = patch(wang_client, location, DATA[1_500_000:], 1_500_000)
    assert last.status_code == 204 and last["Upload-Offset"] == str(len(DATA))
    record = AvRecord.objects.get()
    assert last["Liuhen-Record"] == f"/media/{record.pk}/"
    sha256, sm3 = digests(DATA)
    assert record.blob.sha256 == sha256 and record.blob.sm3 == sm3
    assert record.blob.size == len(DATA)
    assert record.device == recorder and record.uploaded_by == officer_wang
    assert record.captured_at == captured and record.source == AvSource.UPLOAD
    assert record.original_name == "clip.mp4" and record.content_type == "video/mp4"
    assert AuditEvent.objects.filter(action="media.ingest", object_id=str(record.pk)).exists()
    # The partial file became the blob: linked into place, its own name gone.
    assert not list((blob_root / "tmp" / "uploads").iterdir())
    assert (blob_root / sha256[:2] / sha256[2:4] / sha256).read_bytes() == DATA
    done = head(wang_client, location)
    assert (
        done["Upload-Offset"] == str(len(DATA)) and done["Liuhen-Record"] == last["Liuhen-Record"]
    )


def test_third_party_material_keeps_its_provenance(wang_client):
    obtained = timezone.now() - dt.timedelta(days=1)
    location = create(
        wang_client,
        source="third_party",
        provider="某超市",
        channel="调取监控录像",
        obtained_at=obtained.isoformat(),
    )["Location"]
    assert patch(wang_client, location, DATA, 0).status_code == 204
    record = AvRecord.objects.get()
    assert record.is_third_party and record.provider == "某超市"
    assert record.channel == "调取监控录像" and record.obtained_at == obtained


def test_wrong_content_type_is_415(wang_client):
    location = create(wang_client)["Location"]
    response = patch(wang_client, location, DATA[:10], 0, content_type="application/octet-stream")
    assert_code(response, 415, "unsupported_media_type")
    assert head(wang_client, location)["Upload-Offset"] == "0"


def test_wrong_offset_is_409_and_nothing_is_written(wang_client):
    location = create(wang_client)["Location"]
    patch(wang_client, location, DATA[:100], 0)
    response = patch(wang_client, location, DATA[200:300], 200)
    assert_code(response, 409, "offset_mismatch")
    assert response["Upload-Offset"] == "100"
    assert_code(patch(wang_client, location, DATA[:100], 0), 409, "offset_mismatch")
    assert head(wang_client, location)["Upload-Offset"] == "100"


def test_missing_offset_is_400(wang_client):
    location = create(wang_client)["Location"]
    response = wang_client.patch(location, DATA[:10], content_type=OFFSET_TYPE, headers=TUS)
    assert_code(response, 400, "bad_header")


def test_unknown_upload_is_404(wang_client):
    unknown = f"{API}{uuid.uuid4()}"
    assert_code(patch(wang_client, unknown, DATA[:10], 0), 404, "not_found")
    assert head(wang_client, unknown).status_code == 404
    assert_code(wang_client.delete(unknown, headers=TUS), 404, "not_found")


def test_bytes_beyond_upload_length_are_413(wang_client):
    location = create(wang_client, length=100)["Location"]
    assert_code(patch(wang_client, location, DATA[:101], 0), 413, "beyond_length")
    assert head(wang_client, location)["Upload-Offset"] == "0"
    assert patch(wang_client, location, DATA[:100], 0).status_code == 204


def test_a_completed_upload_takes_no_more_bytes(wang_client, blob_root):
    location = create(wang_client, length=100)["Location"]
    patch(wang_client, location, DATA[:100], 0)
    assert_code(patch(wang_client, location, DATA[:10], 100), 413, "beyond_length")
    assert_code(patch(wang_client, location, DATA[:10], 0), 409, "offset_mismatch")
    again = patch(wang_client, location, b"", 100, CONTENT_TYPE=OFFSET_TYPE)  # an empty body
    assert again.status_code == 204 and again["Liuhen-Record"]
    assert AvRecord.objects.count() == 1
    assert not list((blob_root / "tmp" / "uploads").iterdir())  # no partial file again


def test_concurrent_patch_on_the_same_upload_is_423(wang_client, blob_root):
    location = create(wang_client)["Location"]
    partial = blob_root / "tmp" / "uploads" / f"{upload_id(location)}.part"
    # Another request (in any process) holds the upload's lock while it writes.
    fd = os.open(partial, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        assert_code(patch(wang_client, location, DATA[:10], 0), 423, "locked")
        assert_code(wang_client.delete(location, headers=TUS), 423, "locked")
    finally:
        os.close(fd)
    assert patch(wang_client, location, DATA[:10], 0).status_code == 204


# --- checksum extension -------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ["sha1", "sha256"])
def test_checksummed_chunks_are_accepted(wang_client, algorithm):
    location = create(wang_client)["Location"]
    middle = 2_000_000
    for start, end in ((0, middle), (middle, len(DATA))):
        body = DATA[start:end]
        response = patch(wang_client, location, body, start, checksum(algorithm, body))
        assert response.status_code == 204, response.content
    assert AvRecord.objects.get().blob.sha256 == hashlib.sha256(DATA).hexdigest()


def test_checksum_mismatch_is_460_and_the_chunk_is_discarded(wang_client, blob_root):
    location = create(wang_client)["Location"]
    patch(wang_client, location, DATA[:1000], 0)
    partial = blob_root / "tmp" / "uploads" / f"{upload_id(location)}.part"
    body = DATA[1000:2_500_000]
    wrong = checksum("sha256", body[:-1] + b"\0")
    assert_code(patch(wang_client, location, body, 1000, wrong), 460, "checksum_mismatch")
    assert partial.stat().st_size == 1000
    assert head(wang_client, location)["Upload-Offset"] == "1000"
    # The running digests were rolled back with the bytes: the result is still right.
    assert patch(wang_client, location, body, 1000, checksum("sha1", body)).status_code == 204
    assert patch(wang_client, location, DATA[2_500_000:], 2_500_000).status_code == 204
    sha256, sm3 = digests(DATA)
    blob = AvRecord.objects.get().blob
    assert (blob.sha256, blob.sm3) == (sha256, sm3)


def test_unsupported_checksum_algorithm_is_400(wang_client):
    location = create(wang_client)["Location"]
    response = patch(wang_client, location, DATA[:10], 0, checksum("md5", DATA[:10]))
    assert_code(response, 400, "unsupported_checksum")
    bad = {"Upload-Checksum": "sha1 not-base64!"}
    assert_code(patch(wang_client, location, DATA[:10], 0, bad), 400, "bad_checksum")
    assert head(wang_client, location)["Upload-Offset"] == "0"


# --- digests: running, or finished in one read ------------------------------------------------


def _spy_on_file_reads(monkeypatch) -> list[Path]:
    reads: list[Path] = []
    original = uploads.digest_file

    def spy(path: Path, **kwargs: Any) -> Any:
        reads.append(path)
        return original(path, **kwargs)

    monkeypatch.setattr(upload_actions, "digest_file", spy)
    return reads


def test_chunks_in_one_process_are_hashed_as_they_come_never_reread(wang_client, monkeypatch):
    reads = _spy_on_file_reads(monkeypatch)
    location = create(wang_client)["Location"]
    for start in range(0, len(DATA), 1_000_000):
        patch(wang_client, location, DATA[start : start + 1_000_000], start)
    assert reads == []
    assert AvRecord.objects.get().blob.sm3 == hashlib.new("sm3", DATA).hexdigest()


def test_chunks_spread_over_processes_are_hashed_in_one_read_at_completion(
    wang_client, monkeypatch
):
    reads = _spy_on_file_reads(monkeypatch)
    location = create(wang_client)["Location"]
    patch(wang_client, location, DATA[:1_000_000], 0)
    uploads.running_digests.clear()  # the next PATCH reaches another gunicorn worker
    patch(wang_client, location, DATA[1_000_000:2_000_000], 1_000_000)
    patch(wang_client, location, DATA[2_000_000:], 2_000_000)
    assert len(reads) == 1
    sha256, sm3 = digests(DATA)
    blob = AvRecord.objects.get().blob
    assert (blob.sha256, blob.sm3) == (sha256, sm3)


def test_running_digest_off_hashes_the_finished_file(wang_client, monkeypatch, settings):
    settings.TUS_RUNNING_DIGEST = False
    reads = _spy_on_file_reads(monkeypatch)
    location = create(wang_client)["Location"]
    patch(wang_client, location, DATA, 0)
    assert len(reads) == 1
    assert AvRecord.objects.get().blob.sha256 == hashlib.sha256(DATA).hexdigest()


def test_deferred_sm3_is_computed_afterwards_in_one_read(
    wang_client, settings, blob_root, django_capture_on_commit_callbacks
):
    from liuhen.core.models import BlobSm3
    from liuhen.core.tasks import compute_sm3

    settings.INGEST_SM3 = "deferred"
    location = create(wang_client)["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        patch(wang_client, location, DATA, 0)
    sha256, sm3 = digests(DATA)
    blob = AvRecord.objects.get().blob
    assert blob.sha256 == sha256 and blob.sm3 == ""  # SHA-256 only on the hot path
    sidecar = blob_root / sha256[:2] / sha256[2:4] / f"{sha256}.sm3"
    assert not sidecar.exists()
    # The worker's task (queued on commit) computes it later; run it here.
    assert compute_sm3.call(sha256) == sm3
    assert BlobSm3.objects.get(blob=blob).sm3 == sm3
    assert sidecar.read_text().strip() == sm3
    blob.refresh_from_db()
    assert blob.sm3 == ""  # the Blob row is write-once; the late SM3 is its own row
    assert compute_sm3.call(sha256) == sm3 and BlobSm3.objects.count() == 1


# --- completion survives a stop between the last byte and the record ---------------------------


def test_head_completes_an_upload_whose_record_was_not_made(wang_client, monkeypatch, officer_wang):
    location = create(wang_client)["Location"]
    failing = Client(raise_request_exception=False)
    failing.force_login(officer_wang)

    def stopped(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the server stopped here")

    monkeypatch.setattr(upload_actions, "_create_record", stopped)
    assert patch(failing, location, DATA, 0).status_code == 500
    assert not AvRecord.objects.exists()
    monkeypatch.undo()
    state = head(wang_client, location)  # what a client asks before resuming
    record = AvRecord.objects.get()
    assert state["Upload-Offset"] == str(len(DATA))
    assert state["Liuhen-Record"] == f"/media/{record.pk}/"
    assert record.blob.sha256 == hashlib.sha256(DATA).hexdigest()


# --- termination ------------------------------------------------------------------------------


def test_delete_discards_an_unfinished_upload(wang_client, officer_wang, blob_root):
    location = create(wang_client)["Location"]
    patch(wang_client, location, DATA[:1000], 0)
    response = wang_client.delete(location, headers=TUS)
    assert response.status_code == 204 and response["Tus-Resumable"] == "1.0.0"
    assert not TusUpload.objects.exists()
    assert not list((blob_root / "tmp" / "uploads").iterdir())
    event = AuditEvent.objects.get(action="media.upload_terminate")
    assert event.actor_id == str(officer_wang.pk) and event.details["received"] == 1000
    assert head(wang_client, location).status_code == 404


def test_delete_through_method_override(wang_client):
    location = create(wang_client)["Location"]
    response = wang_client.post(location, headers={**TUS, "X-HTTP-Method-Override": "DELETE"})
    assert response.status_code == 204
    assert not TusUpload.objects.exists()


def test_delete_of_a_completed_upload_is_refused_and_audited(wang_client):
    """R14.1: the AV record is write-once; cancelling its upload afterwards is refused."""
    location = create(wang_client)["Location"]
    patch(wang_client, location, DATA, 0)
    record = AvRecord.objects.get()
    response = wang_client.delete(location, headers=TUS)
    assert_code(response, 403, "write_once")
    event = AuditEvent.objects.get(action="media.modify")
    assert event.outcome == Outcome.DENIED and event.object_id == str(record.pk)
    assert AvRecord.objects.filter(pk=record.pk).exists()
    assert Blob.objects.filter(sha256=record.blob_id).exists()


# --- expiry -----------------------------------------------------------------------------------


def test_expired_uploads_are_gone_and_cleaned_up(wang_client, blob_root, settings):
    old = create(wang_client)["Location"]
    patch(wang_client, old, DATA[:1000], 0)
    TusUpload.objects.filter(pk=upload_id(old)).update(expires_at=timezone.now())
    assert head(wang_client, old).status_code == 410
    assert_code(patch(wang_client, old, DATA[1000:2000], 1000), 410, "expired")
    live = create(wang_client)["Location"]
    done = create(wang_client, length=100)["Location"]
    patch(wang_client, done, DATA[:100], 0)
    partials = blob_root / "tmp" / "uploads"
    stray = partials / f"{uuid.uuid4()}.part"  # a crash between file and row
    stray.write_bytes(b"x")
    aged = (timezone.now() - dt.timedelta(hours=settings.TUS_EXPIRY_HOURS + 1)).timestamp()
    os.utime(stray, (aged, aged))

    report = upload_actions.expire_uploads(SYSTEM)
    assert report.expired == 1 and report.stray_partials == 1
    assert not TusUpload.objects.filter(pk=upload_id(old)).exists()
    assert sorted(p.name for p in partials.iterdir()) == [f"{upload_id(live)}.part"]
    assert head(wang_client, old).status_code == 404
    event = AuditEvent.objects.get(action="media.upload_terminate")
    assert event.actor_type == "system" and event.details["expired"] is True
    # The record of the finished upload stays; its upload URL goes once it expires.
    TusUpload.objects.filter(pk=upload_id(done)).update(expires_at=timezone.now())
    assert expire_task.call()["forgotten"] == 1  # what the scheduler runs
    assert AvRecord.objects.count() == 1


def test_the_scheduler_runs_the_expiry_hourly():
    from liuhen.web.management.commands.scheduler import JOBS

    job = next(job for job in JOBS if job.name == "tus-expire")
    assert job.task == "liuhen.media.tasks.expire_uploads" and job.interval() == 3600


# --- who may upload -------------------------------------------------------------------------------


def test_another_officer_gets_404_for_my_upload(wang_client, officer_li):
    location = create(wang_client)["Location"]
    li = Client()
    li.force_login(officer_li)
    assert head(li, location).status_code == 404
    assert_code(patch(li, location, DATA[:10], 0), 404, "not_found")
    assert_code(li.delete(location, headers=TUS), 404, "not_found")
    assert TusUpload.objects.count() == 1
    assert head(wang_client, location)["Upload-Offset"] == "0"


def test_admin_roles_may_not_upload(client, sysadmin_zhao):
    token = person_token(sysadmin_zhao)
    response = create(client, headers=bearer(token))
    assert_code(response, 403, "forbidden")
    denied = AuditEvent.objects.get(action="media.upload")
    assert denied.outcome == Outcome.DENIED and denied.actor_id == str(sysadmin_zhao.pk)
    assert not TusUpload.objects.exists()


def test_personal_token_uploads_as_that_officer(client, officer_wang):
    token = person_token(officer_wang)
    location = create(client, headers=bearer(token))["Location"]
    assert patch(client, location, DATA, 0, bearer(token)).status_code == 204
    assert AvRecord.objects.get().uploaded_by == officer_wang


def test_without_credentials_is_401(client):
    response = create(client)
    assert_code(response, 401, "unauthenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")
    response = create(client, headers=bearer("lh_00000000_" + "x" * 43))
    assert_code(response, 401, "invalid_token")


def test_station_token_uploads_as_the_station(client, station, recorder):
    token = device_token(station.serial)
    location = create(client, headers=bearer(token), device=recorder.serial)["Location"]
    upload = TusUpload.objects.get(pk=upload_id(location))
    assert upload.via_device == station and upload.created_by is None
    assert patch(client, location, DATA, 0, bearer(token)).status_code == 204
    record = AvRecord.objects.get()
    assert record.via_device == station and record.uploaded_by is None
    event = AuditEvent.objects.get(action="media.ingest")
    assert event.actor_type == "device" and event.actor_id == station.serial


def test_recorder_token_is_refused(client, recorder):
    token = raw_device_token(recorder.serial)
    response = create(client, headers=bearer(token))
    assert_code(response, 403, "forbidden")
    event = AuditEvent.objects.get(action="media.upload")
    assert event.outcome == Outcome.DENIED and event.actor_id == recorder.serial
    assert not TusUpload.objects.exists()


def test_retired_station_cannot_finish_its_upload(client, station):
    token = device_token(station.serial)
    location = create(client, headers=bearer(token))["Location"]
    device_actions.change_device(SYSTEM, station, status="retired")
    assert_code(patch(client, location, DATA, 0, bearer(token)), 403, "forbidden")
    assert not AvRecord.objects.exists()


def test_a_device_only_sees_its_own_uploads(client, station, unit_a, officer_wang):
    other = device_actions.enrol_device(SYSTEM, serial="CJZ02", kind="station", unit=unit_a)
    mine = create(client, headers=bearer(device_token(station.serial)))["Location"]
    theirs = bearer(device_token(other.serial))
    assert head(client, mine, theirs).status_code == 404
    person = Client()
    person.force_login(officer_wang)
    assert head(person, mine).status_code == 404


def test_session_uploads_need_the_csrf_token(officer_wang):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(officer_wang)
    assert_code(create(browser), 403, "csrf_failed")
    secret = "a" * 32
    browser.cookies["csrftoken"] = secret
    response = create(browser, headers={"X-CSRFToken": secret})
    assert response.status_code == 201
    location = response["Location"]
    assert_code(patch(browser, location, DATA[:10], 0), 403, "csrf_failed")
    assert patch(browser, location, DATA[:10], 0, {"X-CSRFToken": secret}).status_code == 204
    assert head(browser, location)["Upload-Offset"] == "10"  # HEAD is safe: no token needed


def test_an_ended_session_uploads_nothing(wang_client):
    location = create(wang_client)["Location"]
    session = wang_client.session
    session[session_keys.LAST_SEEN] = session[session_keys.LOGIN_AT] = 0.0  # idle since long ago
    session.save()
    assert_code(patch(wang_client, location, DATA[:10], 0), 401, "session_ended")
    assert TusUpload.objects.get().pk == upload_id(location)
