"""Shared fixtures of the AV record tests: a recorder, a station, and a helper that
ingests bytes as a record."""

from __future__ import annotations

import io
from typing import Any

import pytest

from liuhen.core.audit import SYSTEM
from liuhen.devices import actions as device_actions
from liuhen.devices.models import Device
from liuhen.media.actions import ingest
from liuhen.media.models import AvRecord


@pytest.fixture
def recorder(unit_a) -> Device:
    return device_actions.enrol_device(SYSTEM, serial="DSJ0001", kind="recorder", unit=unit_a)


@pytest.fixture
def station(unit_a) -> Device:
    return device_actions.enrol_device(SYSTEM, serial="CJZ01", kind="station", unit=unit_a)


def ingest_bytes(actor: Any, data: bytes, name: str = "clip.mp4", **fields: Any) -> AvRecord:
    return ingest.ingest_stream(actor, io.BytesIO(data), original_name=name, **fields)
