"""Helpers of the linking tests (R16.1): a second officer of unit A, cases, activities made
through the activities action, and AV records ingested with an officer and a capture time."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from liuhen.accounts.models import Role, User
from liuhen.activities.models import Activity
from liuhen.media.models import AvRecord
from tests.activities.helpers import record as record_activity
from tests.factories import CaseFactory, CertificateFactory, UserFactory
from tests.fixtures.media import ingest_bytes, mark_probed

H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)
_serial = itertools.count(1)


def second_officer(unit: Any) -> User:
    """马骏 of unit A: on-site acts need two certified officers (R4.2)."""
    user = UserFactory(username="officer_ma", full_name="马骏", unit=unit, roles=[Role.OFFICER])
    CertificateFactory(officer=user)
    return user


def case_of(unit: Any, officers: list[User], **fields: Any) -> Any:
    return CaseFactory(unit=unit, officers=officers, **fields)


def activity(
    actor: User,
    case: Any,
    officers: list[User],
    start: dt.datetime,
    minutes: int = 60,
    code: str = "inspection",
) -> Activity:
    return record_activity(
        actor, case, officers, code, started_at=start, ended_at=start + minutes * M
    )


def av(
    actor: Any, *, captured_at: dt.datetime | None = None, probed: bool = True, **fields: Any
) -> AvRecord:
    """A small record with unique bytes (uploaded by ``actor``), probed as a recording
    unless the test keeps a probe result of its own (``probed=False``)."""
    data = f"AV test record {next(_serial)}".encode() + bytes(64)
    record = ingest_bytes(
        actor, data, fields.pop("name", "clip.mp4"), captured_at=captured_at, **fields
    )
    return mark_probed(record) if probed else record
