"""The S3 witness (moto's server): one object per head, under object lock where the bucket
has it, and ``audit verify --witness s3://…`` (R1.1)."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from liuhen.core import audit
from liuhen.core.actions import audit_log
from liuhen.core.models import AuditEvent
from liuhen.core.witness.base import WitnessedHead, WitnessError
from liuhen.core.witness.urls import open_witness
from tests.core.tamper import tampering
from tests.fixtures.storage import s3_client

pytestmark = pytest.mark.usefixtures("signing_key_file")


def _bucket(endpoint: str, *, object_lock: bool) -> str:
    name = f"witness-{uuid.uuid4().hex[:12]}"
    s3_client(endpoint).create_bucket(Bucket=name, ObjectLockEnabledForBucket=object_lock)
    return name


def _url(endpoint: str, bucket: str) -> str:
    return f"s3://{bucket}/audit/heads-of-bureau?endpoint={endpoint}"


@pytest.fixture
def s3_witness_settings(settings: Any) -> Any:
    settings.S3_ACCESS_KEY_ID = "testing"
    settings.S3_SECRET_ACCESS_KEY = "testing"
    return settings


def test_heads_are_kept_under_object_lock(
    s3_endpoint: str, s3_witness_settings: Any, some_events: list[AuditEvent]
) -> None:
    bucket = _bucket(s3_endpoint, object_lock=True)
    s3_witness_settings.AUDIT_WITNESS_URLS = [_url(s3_endpoint, bucket)]

    head = audit_log.sign_now(audit.SYSTEM)

    client = s3_client(s3_endpoint)
    keys = [item["Key"] for item in client.list_objects_v2(Bucket=bucket)["Contents"]]
    assert keys == [f"audit/heads-of-bureau/heads/head-{10:020d}-{keys[0][-20:-5]}.json"]
    kept = client.head_object(Bucket=bucket, Key=keys[0])
    assert kept["ObjectLockMode"] == "COMPLIANCE"
    assert kept["ObjectLockRetainUntilDate"] > dt.datetime.now(dt.UTC) + dt.timedelta(days=3000)
    latest = open_witness(_url(s3_endpoint, bucket)).latest()
    assert latest is not None
    assert (latest.tree_size, latest.root_hash) == (10, head.root_hash)


def test_a_bucket_without_object_lock_still_witnesses(
    s3_endpoint: str, s3_witness_settings: Any
) -> None:
    bucket = _bucket(s3_endpoint, object_lock=False)
    witness = open_witness(_url(s3_endpoint, bucket))
    assert witness.latest() is None
    for size in (4, 11, 7):
        witness.announce(WitnessedHead(size, 100 + size, "a" * 64, "b" * 128, "c" * 64))

    assert witness.latest() == WitnessedHead(11, 111, "a" * 64, "b" * 128, "c" * 64)
    with pytest.raises(WitnessError, match="other contents"):
        witness.announce(WitnessedHead(11, 111, "d" * 64, "b" * 128, "c" * 64))


def test_verify_against_an_s3_witness_detects_truncation(
    s3_endpoint: str, s3_witness_settings: Any, some_events: list[AuditEvent]
) -> None:
    bucket = _bucket(s3_endpoint, object_lock=False)
    url = _url(s3_endpoint, bucket)
    s3_witness_settings.AUDIT_WITNESS_URLS = [url]
    audit_log.sign_if_new_events(audit.SYSTEM)
    out = io.StringIO()
    call_command("audit", "verify", "--witness", url, stdout=out)
    assert "一致" in out.getvalue()

    with tampering() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE seq > 6")
        cursor.execute("DELETE FROM core_treehead")

    with pytest.raises(CommandError, match="截短"):
        call_command("audit", "verify", "--witness", url, stdout=io.StringIO())
