"""R13.1: registering devices and the write-once ledger of checkouts, returns and
maintenance; the overdue flag (R14.1) and who held a device when (R16.1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from liuhen.core.access import AccessDenied
from liuhen.core.actions import configuration
from liuhen.core.models import AuditEvent
from liuhen.devices import actions, ledger
from liuhen.devices.models import Device, DeviceStatus, EntryKind, LedgerEntry
from tests.factories import SYSTEM
from tests.fixtures.devices import enrol

pytestmark = pytest.mark.django_db

H = dt.timedelta(hours=1)


def test_custodian_registers_and_serial_is_unique(custodian_zhou, unit_b):
    device = actions.enrol_device(
        custodian_zhou, serial=" dsj 0009 ", kind="recorder", unit=unit_b, model="V8"
    )
    assert device.serial == "DSJ0009" and device.status == DeviceStatus.IN_SERVICE
    assert device.registered_by == custodian_zhou
    assert AuditEvent.objects.filter(action="device.register", object_id=str(device.pk)).exists()
    with pytest.raises(ValidationError) as err:
        actions.enrol_device(custodian_zhou, serial="DSJ0009", kind="camera", unit=unit_b)
    assert "serial" in err.value.message_dict


def test_unit_head_registers_only_for_own_unit(head_zhang, officer_wang, unit_a, unit_b):
    assert actions.enrol_device(head_zhang, serial="A1", kind="camera", unit=unit_a)
    with pytest.raises(AccessDenied):
        actions.enrol_device(head_zhang, serial="B1", kind="camera", unit=unit_b)
    with pytest.raises(AccessDenied):
        actions.enrol_device(officer_wang, serial="A2", kind="camera", unit=unit_a)
    assert AuditEvent.objects.filter(action="device.manage", outcome="denied").count() == 2


def test_change_sets_status_but_never_checked_out(recorder_a, head_zhang, officer_wang):
    device = actions.change_device(head_zhang, recorder_a, status="maintenance", notes="镜头")
    assert device.status == DeviceStatus.MAINTENANCE and device.notes == "镜头"
    with pytest.raises(ValidationError):
        actions.change_device(head_zhang, device, status="checked_out")
    with pytest.raises(ValidationError):
        actions.check_out(officer_wang, device)  # in maintenance
    actions.change_device(head_zhang, device, status="retired")
    with pytest.raises(ValidationError):
        actions.check_out(officer_wang, device)  # retired
    assert AuditEvent.objects.filter(action="device.change").count() == 2


def test_a_collection_station_is_never_checked_out(unit_a, officer_wang, head_zhang, client):
    # R13.1: the ledger of 领取/归还 is for what officers carry; a station is fixed equipment.
    from tests.factories import sign_in

    station = enrol(unit_a, "CJZ0001", kind="station")
    for actor in (officer_wang, head_zhang):
        with pytest.raises(ValidationError, match="采集工作站"):
            actions.check_out(actor, station, holder=officer_wang)
    assert not LedgerEntry.objects.filter(device=station).exists()
    station.refresh_from_db()
    assert station.status == DeviceStatus.IN_SERVICE
    sign_in(client, officer_wang)
    page = client.get(f"/devices/{station.pk}/").content.decode()
    assert 'data-testid="device-checkout"' not in page


def test_officer_checks_out_and_returns_own(recorder_a, officer_wang):
    taken = timezone.now() - 2 * H
    entry = actions.check_out(officer_wang, recorder_a, at=taken, condition="完好")
    recorder_a.refresh_from_db()
    assert recorder_a.status == DeviceStatus.CHECKED_OUT and recorder_a.holder == officer_wang
    assert entry.handled_by == officer_wang and entry.kind == EntryKind.CHECKOUT
    with pytest.raises(ValidationError):
        actions.check_out(officer_wang, recorder_a)  # already out
    back = actions.return_device(officer_wang, recorder_a, condition="电量低")
    assert back.checkout == entry and back.holder == officer_wang
    recorder_a.refresh_from_db()
    assert recorder_a.status == DeviceStatus.IN_SERVICE and recorder_a.holder is None
    with pytest.raises(AccessDenied):
        actions.return_device(officer_wang, recorder_a)  # no longer theirs
    with pytest.raises(ValidationError):
        actions.return_device(SYSTEM, recorder_a)  # not out
    labels = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"device.checkout", "device.return"} <= labels


def test_officer_cannot_issue_to_another(recorder_a, officer_wang, head_zhang, unit_a):
    with pytest.raises(AccessDenied):
        actions.check_out(officer_wang, recorder_a, holder=head_zhang)
    entry = actions.check_out(head_zhang, recorder_a, holder=officer_wang)
    assert entry.holder == officer_wang and entry.handled_by == head_zhang


def test_custodian_issues_and_receives(recorder_b, custodian_zhou, officer_li):
    actions.check_out(custodian_zhou, recorder_b, holder=officer_li)
    back = actions.return_device(custodian_zhou, recorder_b)
    assert back.handled_by == custodian_zhou and back.holder == officer_li


def test_custodian_cannot_take_a_device_themselves(recorder_a, custodian_zhou):
    with pytest.raises(ValidationError):
        actions.check_out(custodian_zhou, recorder_a)  # not an officer


def test_times_not_in_future_nor_out_of_order(recorder_a, officer_wang, head_zhang):
    with pytest.raises(ValidationError):
        actions.check_out(officer_wang, recorder_a, at=timezone.now() + H)
    actions.check_out(officer_wang, recorder_a, at=timezone.now() - H)
    with pytest.raises(ValidationError):
        actions.return_device(officer_wang, recorder_a, at=timezone.now() - 2 * H)
    with pytest.raises(ValidationError):
        actions.return_device(officer_wang, recorder_a, at=timezone.now() + H)


def test_maintenance(recorder_a, head_zhang, officer_wang):
    start = timezone.now() - 5 * H
    entry = actions.record_maintenance(
        head_zhang, recorder_a, start=start, end=start + H, work_done="清洁镜头，更换电池"
    )
    assert entry.kind == EntryKind.MAINTENANCE and entry.until == start + H
    with pytest.raises(ValidationError):
        actions.record_maintenance(
            head_zhang, recorder_a, start=start, end=start - H, work_done="x"
        )
    with pytest.raises(ValidationError):
        actions.record_maintenance(head_zhang, recorder_a, start=start, work_done=" ")
    with pytest.raises(AccessDenied):
        actions.record_maintenance(officer_wang, recorder_a, start=start, work_done="x")
    actions.check_out(officer_wang, recorder_a)
    with pytest.raises(ValidationError):
        actions.record_maintenance(head_zhang, recorder_a, start=start, work_done="x")


def test_ledger_is_write_once(recorder_a, officer_wang):
    entry = actions.check_out(officer_wang, recorder_a)
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(condition="改")
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).delete()


def test_overdue_after_the_configured_limit(
    recorder_a, recorder_b, officer_wang, officer_li, sysadmin_zhao
):
    actions.check_out(officer_wang, recorder_a, at=timezone.now() - 30 * H)
    actions.check_out(officer_li, recorder_b, at=timezone.now() - 5 * H)
    recorder_a.refresh_from_db()
    recorder_b.refresh_from_db()
    assert ledger.is_overdue(recorder_a) and not ledger.is_overdue(recorder_b)  # 24 h
    configuration.set_rule(sysadmin_zhao, "device_checkout_hours", 4, "一个工作班次")
    assert ledger.is_overdue(recorder_b)
    overdue = Device.objects.filter(status="checked_out", out_since__lt=ledger.overdue_cutoff())
    assert set(overdue) == {recorder_a, recorder_b}
    back = actions.return_device(officer_li, recorder_b)
    assert AuditEvent.objects.get(action="device.return").details["late"] is True
    assert back.pk


def test_who_had(unit_a, officer_wang, head_zhang):
    device = enrol(unit_a, "DSJ0100")
    t0 = timezone.now() - 10 * H
    assert ledger.who_had(device, t0) is None
    actions.check_out(SYSTEM, device, holder=officer_wang, at=t0)
    actions.return_device(SYSTEM, device, at=t0 + 3 * H)
    actions.check_out(SYSTEM, device, holder=head_zhang, at=t0 + 5 * H)
    assert ledger.who_had(device, t0 - H) is None
    assert ledger.who_had(device, t0) == officer_wang
    assert ledger.who_had(device, t0 + 2 * H) == officer_wang
    assert ledger.who_had(device, t0 + 4 * H) is None  # back on the shelf
    assert ledger.who_had(device.pk, t0 + 6 * H) == head_zhang
    assert ledger.who_had(device, timezone.now()) == head_zhang
