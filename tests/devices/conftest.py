"""Devices made through the real actions."""

from __future__ import annotations

import pytest

from liuhen.core.audit import Actor
from liuhen.devices import actions

SYSTEM = Actor.system("test")


def register(unit, serial: str = "DSJ0001", kind: str = "recorder", **values):
    return actions.enrol_device(SYSTEM, serial=serial, kind=kind, unit=unit, **values)


@pytest.fixture
def recorder_a(unit_a):
    return register(unit_a, "DSJ0001", model="DSJ-V8", storage_place="一楼设备柜")


@pytest.fixture
def recorder_b(unit_b):
    return register(unit_b, "DSJ0002")
