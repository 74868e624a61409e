"""Helpers of the coverage and spot-check tests: an activity with recordings linked to it
(capture time and probed duration), made through the actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from liuhen.media.actions import curation
from liuhen.media.models import AvProbe
from tests.media.linking import M, activity, av

__all__ = ["M", "activity", "recording"]


def recording(
    actor: Any, start: dt.datetime, minutes: float, *, link_to: Any = None, **fields: Any
) -> Any:
    """An AV record captured at ``start`` lasting ``minutes``, linked to ``link_to``."""
    record = av(actor, captured_at=start, probed=False, **fields)
    AvProbe.objects.create(record=record, duration=minutes * 60)
    record.refresh_from_db()
    if link_to is not None:
        curation.link(actor, record, activity=link_to)
    return record


def supervisor_of(unit: Any, username: str, full_name: str) -> Any:
    """A supervisor who belongs to ``unit`` (a reviewer with a unit of their own)."""
    from liuhen.accounts.models import Role
    from tests.factories import UserFactory

    return UserFactory(username=username, full_name=full_name, unit=unit, roles=[Role.SUPERVISOR])
