"""R16.1, R23.1 (四): fixity — a stored file changed, lost or not on record is found by
``liuhen blobs fixity`` (or the daily sample), raises a write-once finding and tells the
custodians and the security admin; replication copies to a second store and verifies."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, transaction
from django.test import Client
from django.utils import timezone

from liuhen.core import blobs
from liuhen.core.actions import blobs as blob_actions
from liuhen.core.audit import SYSTEM
from liuhen.core.blobs import FilesystemStore, store_blob
from liuhen.core.models import AuditEvent, Notification
from liuhen.media import tasks
from liuhen.media.models import AvProbe, IntegrityFinding
from tests.factories import sign_in
from tests.fixtures.media import ingest_bytes
from tests.fixtures.storage import new_s3_store

pytestmark = pytest.mark.django_db

Problem = IntegrityFinding.Problem


@pytest.fixture(autouse=True)
def own_blob_store(settings: Any, tmp_path: Path) -> FilesystemStore:
    """Each test its own filesystem store, so fixity sees only this test's blobs."""
    settings.BLOB_URL = str(tmp_path / "blobs")
    found = blobs.get_store()
    assert isinstance(found, FilesystemStore)
    return found


def _fixity(capture: Any, *args: str) -> tuple[str, int]:
    """Run ``liuhen blobs fixity``; its output and exit code (0 when all is well)."""
    out = io.StringIO()
    with capture(execute=True):
        try:
            call_command("blobs", "fixity", *args, stdout=out)
        except CommandError as exc:
            return out.getvalue() + str(exc), exc.returncode
    return out.getvalue(), 0


def _change_one_byte(store: FilesystemStore, sha256: str) -> None:
    """By hand: the stored file is read-only (0444); make it writable, flip one byte."""
    path = store.path(sha256)
    os.chmod(path, 0o644)
    with open(path, "r+b") as handle:
        handle.seek(3)
        byte = handle.read(1)
        handle.seek(3)
        handle.write(bytes([byte[0] ^ 0x01]))


def test_a_changed_file_is_reported_found_and_notified(
    own_blob_store, custodian_zhou, secadmin_qian, officer_wang, django_capture_on_commit_callbacks
):
    good = store_blob(io.BytesIO(b"good" * 1000))
    bad = ingest_bytes(officer_wang, b"\x00\x00\x00\x18ftypmp42" + os.urandom(5000)).blob
    out, code = _fixity(django_capture_on_commit_callbacks)
    assert code == 0 and "2 checked, 0 changed, 0 missing, 0 untracked" in out
    assert not IntegrityFinding.objects.exists() and not Notification.objects.exists()

    _change_one_byte(own_blob_store, bad.sha256)
    out, code = _fixity(django_capture_on_commit_callbacks)
    assert code == 1 and f"changed {bad.sha256}" in out and good.sha256 not in out
    finding = IntegrityFinding.objects.get()
    assert (finding.problem, finding.sha256) == (Problem.CHANGED, bad.sha256)
    assert finding.store == f"file://{own_blob_store.root}"
    assert any("SHA-256 is" in line for line in finding.details["problems"])
    event = AuditEvent.objects.filter(action="blob.fixity").last()
    assert event.outcome == "failed" and finding.details["run"] == event.seq
    notified = set(Notification.objects.values_list("recipient__username", flat=True))
    assert notified == {"custodian_zhou", "secadmin_qian"}
    assert Notification.objects.filter(link="/media/integrity/").count() == 2


def test_a_deleted_file_is_missing(
    own_blob_store, custodian_zhou, officer_wang, django_capture_on_commit_callbacks
):
    record = ingest_bytes(officer_wang, os.urandom(3000))
    own_blob_store.path(record.blob_id).unlink()
    out, code = _fixity(django_capture_on_commit_callbacks)
    assert code == 1 and f"missing {record.blob_id}" in out
    assert list(IntegrityFinding.objects.values_list("problem", "sha256")) == [
        (Problem.MISSING, record.blob_id)
    ]
    assert Notification.objects.filter(recipient=custodian_zhou).count() == 1
    assert not Notification.objects.filter(recipient=officer_wang).exists()


def test_a_stray_file_is_untracked_but_files_being_written_are_not(
    own_blob_store, custodian_zhou, django_capture_on_commit_callbacks
):
    store_blob(io.BytesIO(b"on record"))
    # Files being written live in tmp/: never findings.
    (own_blob_store.root / "tmp").mkdir(exist_ok=True)
    (own_blob_store.root / "tmp" / "put-abandoned").write_bytes(b"half an upload")
    out, code = _fixity(django_capture_on_commit_callbacks)
    assert code == 0 and not IntegrityFinding.objects.exists()

    stray = b"copied in by hand"
    sha256 = hashlib.sha256(stray).hexdigest()
    path = own_blob_store.path(sha256)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(stray)
    out, code = _fixity(django_capture_on_commit_callbacks)
    assert code == 1 and f"untracked {sha256}" in out
    assert list(IntegrityFinding.objects.values_list("problem", "sha256")) == [
        (Problem.UNTRACKED, sha256)
    ]


def test_an_orphan_of_an_interrupted_store_is_reported_not_a_finding(
    own_blob_store, custodian_zhou, django_capture_on_commit_callbacks
):
    """A blob the store wrote whose record was never committed (a crash in between) is
    an orphan: listed, no finding, nobody alarmed, exit 0 (R16.1)."""
    stored = own_blob_store.put(io.BytesIO(b"stored, then the process was killed"))
    out, code = _fixity(django_capture_on_commit_callbacks)
    assert code == 0, out
    assert f"orphan {stored.sha256}: stored but never recorded" in out
    assert "0 untracked, 0 without SM3, 1 orphaned" in out
    assert not IntegrityFinding.objects.exists()
    assert not Notification.objects.exists()


def test_s3_staging_objects_are_not_findings(
    s3_endpoint: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    remote = new_s3_store(s3_endpoint)
    row = store_blob(io.BytesIO(os.urandom(2000)), store=remote)
    remote.client.put_object(
        Bucket=remote.bucket, Key=f"{remote.prefix}tmp/{uuid.uuid4().hex}", Body=b"staging"
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = blob_actions.run_fixity(SYSTEM, remote)
    assert report.ok and report.checked == 1 and not IntegrityFinding.objects.exists()
    remote.client.delete_object(Bucket=remote.bucket, Key=remote.key(row.sha256))
    with django_capture_on_commit_callbacks(execute=True):
        assert blob_actions.run_fixity(SYSTEM, remote).missing == [row.sha256]
    finding = IntegrityFinding.objects.get()
    assert finding.problem == Problem.MISSING and finding.store.startswith("s3://")


def test_findings_are_write_once(own_blob_store, django_capture_on_commit_callbacks):
    row = store_blob(io.BytesIO(b"x"))
    own_blob_store.path(row.sha256).unlink()
    _fixity(django_capture_on_commit_callbacks)
    finding = IntegrityFinding.objects.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        IntegrityFinding.objects.filter(pk=finding.pk).update(problem=Problem.CHANGED)
    with pytest.raises(DatabaseError), transaction.atomic():
        IntegrityFinding.objects.filter(pk=finding.pk).delete()


# --- the daily sample ---------------------------------------------------------------------


def test_daily_sample_is_scheduled_and_runs_once_a_day(
    settings, monkeypatch, own_blob_store, custodian_zhou, django_capture_on_commit_callbacks
):
    from liuhen.web.management.commands.scheduler import JOBS

    job = next(job for job in JOBS if job.task == "liuhen.media.tasks.daily_fixity_sample")
    assert job.interval() <= 24 * 3600

    settings.FIXITY_SAMPLE_SIZE = 2
    rows = [store_blob(io.BytesIO(os.urandom(100 + n))) for n in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.daily_fixity_sample.call()
    assert result is not None and result["checked"] == 2
    event = AuditEvent.objects.get(action="blob.fixity")
    assert event.details["sample"] == 2 and event.outcome == "ok"
    # Enqueued again the same day (a restart, a second scheduler): nothing to do.
    assert tasks.daily_fixity_sample.call() is None
    assert AuditEvent.objects.filter(action="blob.fixity").count() == 1

    # The next day it runs again; a sample as large as the store finds the damaged file.
    tomorrow = timezone.now() + dt.timedelta(days=1)
    real_localtime = timezone.localtime

    def localtime(value: Any = None, timezone: Any = None) -> dt.datetime:
        return real_localtime(tomorrow if value is None else value, timezone)

    monkeypatch.setattr(tasks.timezone, "localtime", localtime)
    settings.FIXITY_SAMPLE_SIZE = 10
    _change_one_byte(own_blob_store, rows[0].sha256)
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.daily_fixity_sample.call()
    assert result is not None and result["checked"] == 5
    assert result["changed"] == [rows[0].sha256]
    assert IntegrityFinding.objects.get().problem == Problem.CHANGED
    assert Notification.objects.filter(recipient=custodian_zhou).exists()


# --- replication ----------------------------------------------------------------------------


def test_replicate_then_check_the_copy(
    tmp_path, own_blob_store, custodian_zhou, django_capture_on_commit_callbacks
):
    rows = [store_blob(io.BytesIO(os.urandom(1000 + n))) for n in range(3)]
    replica = FilesystemStore(tmp_path / "replica")
    out = io.StringIO()
    call_command("blobs", "replicate", "--to", f"file://{replica.root}", stdout=out)
    assert "3 copied, 0 already there, 0 failed" in out.getvalue()
    out, code = _fixity(django_capture_on_commit_callbacks, "--store", f"file://{replica.root}")
    assert code == 0 and "3 checked, 0 changed" in out

    # A copy damaged in the second store: replicating again re-hashes it there.
    _change_one_byte(replica, rows[1].sha256)
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("blobs", "replicate", "--to", f"file://{replica.root}", stdout=out)
    assert raised.value.returncode == 1
    assert f"failed {rows[1].sha256}" in out.getvalue()
    assert "0 copied, 3 already there, 1 failed" in str(raised.value)
    # And the fixity check of the replica raises a finding naming that store.
    out, code = _fixity(django_capture_on_commit_callbacks, "--store", f"file://{replica.root}")
    assert code == 1
    finding = IntegrityFinding.objects.get()
    assert finding.sha256 == rows[1].sha256 and finding.store == f"file://{replica.root}"


# --- the page -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["custodian_zhou", "supervisor_zheng", "secadmin_qian"])
def test_integrity_page_allowed(client: Client, request, who):
    sign_in(client, request.getfixturevalue(who))
    response = client.get("/media/integrity/")
    assert response.status_code == 200
    assert 'data-testid="no-run"' in response.content.decode()


@pytest.mark.parametrize(
    "who", ["officer_wang", "head_zhang", "agency_head_liu", "sysadmin_zhao", "auditor_chen"]
)
def test_integrity_page_denied(client: Client, request, who):
    person = request.getfixturevalue(who)
    sign_in(client, person)
    assert client.get("/media/integrity/").status_code == 403
    denied = AuditEvent.objects.get(action="media.integrity")
    assert denied.outcome == "denied" and denied.actor_id == str(person.pk)


def test_integrity_page_lists_findings_and_the_latest_run(
    client: Client,
    own_blob_store,
    officer_wang,
    custodian_zhou,
    secadmin_qian,
    django_capture_on_commit_callbacks,
):
    record = ingest_bytes(officer_wang, os.urandom(4000))
    thumb = store_blob(io.BytesIO(b"thumbnail"))
    AvProbe.objects.create(record=record, thumbnail=thumb)
    store_blob(io.BytesIO(b"fine"))
    _change_one_byte(own_blob_store, record.blob_id)
    own_blob_store.path(thumb.sha256).unlink()
    _fixity(django_capture_on_commit_callbacks)

    client.force_login(custodian_zhou)
    html = client.get("/media/integrity/").content.decode()
    assert 'data-testid="latest-checked">3<' in html
    assert 'data-testid="latest-changed">1<' in html
    assert 'data-testid="latest-missing">1<' in html
    assert 'data-testid="latest-untracked">0<' in html
    assert record.blob_id in html and thumb.sha256 in html
    assert f"AV-{record.pk}" in html  # the custodian sees which record it concerns
    only_missing = client.get("/media/integrity/?problem=missing").content.decode()
    assert thumb.sha256 in only_missing and record.blob_id not in only_missing

    # The security admin sees the findings, not the AV records (no case data, R21.2).
    sign_in(client, secadmin_qian)
    html = client.get("/media/integrity/").content.decode()
    assert record.blob_id in html and f"AV-{record.pk}" not in html


def test_integrity_page_names_the_store_not_its_server_path(
    client: Client, own_blob_store, officer_wang, custodian_zhou, django_capture_on_commit_callbacks
):
    record = ingest_bytes(officer_wang, os.urandom(4000))
    own_blob_store.path(record.blob_id).unlink()
    _fixity(django_capture_on_commit_callbacks)

    sign_in(client, custodian_zhou)
    html = client.get("/media/integrity/").content.decode()
    assert str(own_blob_store.root) not in html and "file://" not in html
    assert 'data-testid="latest-store">本机文件存储<' in html
    assert record.blob_id in html  # the finding itself is still listed
