"""R13.1 device access: keepers (custodian, unit head of the unit) and officers of the unit;
every rule allowed AND denied."""

from __future__ import annotations

import pytest

from liuhen.core import access
from liuhen.devices import actions
from liuhen.devices.models import Device
from tests.factories import SYSTEM

pytestmark = pytest.mark.django_db


def test_device_list(custodian_zhou, head_zhang, officer_wang, sysadmin_zhao, reviewer_sun):
    for allowed in (custodian_zhou, head_zhang, officer_wang):
        assert access.can(allowed, "device.list")
    for denied in (sysadmin_zhao, reviewer_sun):
        assert not access.can(denied, "device.list")


def test_device_view_and_scope(
    recorder_a, recorder_b, custodian_zhou, head_zhang, officer_wang, officer_li, auditor_chen
):
    assert access.can(officer_wang, "device.view", recorder_a)
    assert not access.can(officer_wang, "device.view", recorder_b)
    assert access.can(custodian_zhou, "device.view", recorder_b)  # stored centrally
    assert not access.can(head_zhang, "device.view", recorder_b)
    assert not access.can(auditor_chen, "device.view", recorder_a)
    everything = Device.objects.all()
    assert set(access.visible(custodian_zhou, everything)) == {recorder_a, recorder_b}
    assert list(access.visible(officer_wang, everything)) == [recorder_a]
    assert list(access.visible(officer_li, everything)) == [recorder_b]
    assert not access.visible(auditor_chen, everything).exists()


def test_device_manage(
    recorder_a, recorder_b, custodian_zhou, head_zhang, officer_wang, sysadmin_zhao
):
    assert access.can(custodian_zhou, "device.manage", recorder_b)
    assert access.can(head_zhang, "device.manage", recorder_a)
    assert not access.can(head_zhang, "device.manage", recorder_b)  # another unit's
    assert not access.can(officer_wang, "device.manage", recorder_a)
    assert not access.can(sysadmin_zhao, "device.manage", recorder_a)


def test_device_checkout(
    recorder_a, recorder_b, officer_wang, officer_li, custodian_zhou, archivist_wu
):
    assert access.can(officer_wang, "device.checkout", recorder_a)
    assert access.can(custodian_zhou, "device.checkout", recorder_a)
    assert not access.can(officer_li, "device.checkout", recorder_a)
    assert not access.can(archivist_wu, "device.checkout", recorder_a)


def test_device_return(recorder_a, officer_wang, head_zhang, custodian_zhou, unit_a):
    from tests.factories import CertificateFactory, UserFactory

    other = UserFactory(username="officer_sun", unit=unit_a, roles=["officer"])
    CertificateFactory(officer=other)
    actions.check_out(SYSTEM, recorder_a, holder=officer_wang)
    recorder_a.refresh_from_db()
    assert access.can(officer_wang, "device.return", recorder_a)  # the holder
    assert access.can(head_zhang, "device.return", recorder_a)  # the unit head receives
    assert access.can(custodian_zhou, "device.return", recorder_a)
    assert not access.can(other, "device.return", recorder_a)  # not theirs
