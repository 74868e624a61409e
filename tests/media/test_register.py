"""R14.1, R15.1: every way in ends in one write-once record with its officer and its
upload deadline."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from liuhen.core.access import AccessDenied
from liuhen.core.actions import configuration
from liuhen.core.models import AuditEvent
from liuhen.devices import actions as device_actions
from liuhen.media.models import AvKind, AvRecord, AvSource
from tests.fixtures.media import ingest_bytes

pytestmark = pytest.mark.django_db

H = dt.timedelta(hours=1)


def test_officer_upload_is_recorded_with_digests(officer_wang):
    data = b"\x00\x00\x00\x18ftypmp42" + bytes(5000)
    record = ingest_bytes(officer_wang, data, "C:\\DCIM\\clip.MP4")
    assert record.original_name == "clip.MP4"
    assert record.kind == AvKind.VIDEO and record.content_type == "video/mp4"
    assert record.blob.sha256 == hashlib.sha256(data).hexdigest()
    assert record.blob.sm3 == hashlib.new("sm3", data).hexdigest()
    assert record.uploaded_by == officer_wang and record.unit == officer_wang.unit
    event = AuditEvent.objects.get(action="media.ingest", object_id=str(record.pk))
    assert event.details["sha256"] == record.blob.sha256


def test_admin_roles_may_not_upload(sysadmin_zhao):
    with pytest.raises(AccessDenied):
        ingest_bytes(sysadmin_zhao, b"x")
    assert not AvRecord.objects.exists()


def test_station_uploads_retired_station_does_not(station, recorder):
    assert ingest_bytes(station, b"dock", device=recorder).via_device == station
    station.status = "retired"
    with pytest.raises(AccessDenied):
        ingest_bytes(station, b"dock2", device=recorder)
    with pytest.raises(AccessDenied):
        ingest_bytes(recorder, b"not a station")


def test_officer_from_the_checkout_ledger(custodian_zhou, officer_wang, recorder):
    now = timezone.now()
    device_actions.check_out(custodian_zhou, recorder, holder=officer_wang, at=now - 5 * H)
    record = ingest_bytes(custodian_zhou, b"a", device=recorder, captured_at=now - 4 * H)
    assert record.officer == officer_wang


def test_upload_deadline_end_of_return_day_or_24_hours_with_reason(
    custodian_zhou, officer_wang, recorder
):
    now = timezone.localtime()
    two_days = now - dt.timedelta(days=2)
    device_actions.check_out(custodian_zhou, recorder, holder=officer_wang, at=two_days - 3 * H)
    device_actions.return_device(custodian_zhou, recorder, at=two_days)
    late = ingest_bytes(officer_wang, b"late", device=recorder, captured_at=two_days - 2 * H)
    assert late.late and late.returned_at == two_days
    assert timezone.localtime(late.due_at).date() == two_days.date()
    # With a reason the deadline is 24 hours after the return: still late two days on.
    excused = ingest_bytes(
        officer_wang,
        b"late too",
        device=recorder,
        captured_at=two_days - 2 * H,
        late_reason="remote_area",
        late_reason_text="山区无信号",
    )
    assert excused.due_at == two_days + dt.timedelta(hours=24) and excused.late
    with pytest.raises(ValidationError) as err:
        ingest_bytes(officer_wang, b"x", late_reason="remote_area")
    assert "late_reason_text" in err.value.message_dict


def test_the_grace_after_return_is_the_rule_and_never_over_24_hours(
    custodian_zhou, officer_wang, recorder, sysadmin_zhao
):
    """R15.1 (regulation Art. 15): "返回单位后24小时内" — the bureau may shorten it only."""
    with pytest.raises(ValidationError):
        configuration.set_rule(sysadmin_zhao, "av_upload_grace_hours", 48, "异地执法较多")
    configuration.set_rule(sysadmin_zhao, "av_upload_grace_hours", 12, "本局从严")
    back = timezone.localtime() - 20 * H
    device_actions.check_out(custodian_zhou, recorder, holder=officer_wang, at=back - 3 * H)
    device_actions.return_device(custodian_zhou, recorder, at=back)
    excused = ingest_bytes(
        officer_wang,
        b"twenty hours on",
        device=recorder,
        captured_at=back - 2 * H,
        late_reason="remote_area",
        late_reason_text="山区无信号",
    )
    assert excused.due_at == back + 12 * H and excused.late


def test_on_time_when_device_still_out(custodian_zhou, officer_wang, recorder):
    device_actions.check_out(custodian_zhou, recorder, holder=officer_wang, at=timezone.now() - H)
    record = ingest_bytes(officer_wang, b"ok", device=recorder, captured_at=timezone.now())
    assert not record.late and record.due_at is None


def test_third_party_needs_provenance(officer_wang):
    with pytest.raises(ValidationError) as err:
        ingest_bytes(officer_wang, b"tp", "cam.mp4", source=AvSource.THIRD_PARTY)
    assert set(err.value.message_dict) == {"provider", "channel", "obtained_at"}
    record = ingest_bytes(
        officer_wang,
        b"tp",
        "cam.mp4",
        source=AvSource.THIRD_PARTY,
        provider="某超市",
        channel="当事人提供",
        obtained_at=timezone.now() - H,
    )
    assert record.is_third_party


def test_records_are_write_once(officer_wang):
    record = ingest_bytes(officer_wang, b"once")
    with pytest.raises(DatabaseError), transaction.atomic():
        AvRecord.objects.filter(pk=record.pk).update(original_name="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        AvRecord.objects.filter(pk=record.pk).delete()


def test_a_person_names_only_a_device_they_may_see(officer_li, officer_wang, recorder):
    # recorder belongs to unit A; officer Li works in unit B (its deadline and officer
    # would follow a device that is not his).
    when = timezone.now() - H
    with pytest.raises(ValidationError) as err:
        ingest_bytes(officer_li, b"x", device=recorder, captured_at=when)
    assert "device" in err.value.message_dict
    assert ingest_bytes(officer_wang, b"x", device=recorder, captured_at=when).device == recorder


@pytest.mark.parametrize(
    ("declared", "stored"),
    [
        ("video/mp4", "video/mp4"),
        ("VIDEO/MP4; codecs=avc1", "video/mp4"),
        ("text/html\r\nX-Evil: 1", "video/mp4"),
        ("application/octet-stream", "video/mp4"),
        ("", "video/mp4"),
    ],
)
def test_only_a_well_formed_declared_type_is_kept(officer_wang, declared, stored):
    record = ingest_bytes(officer_wang, b"x", "clip.mp4", content_type=declared)
    assert record.content_type == stored
