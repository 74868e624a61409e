"""Activity types seeded as the data migration does, and activities made through the action."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

from django.apps import apps
from django.utils import timezone

from liuhen.activities import actions
from liuhen.activities.models import Activity, ActivityType

_SEED = importlib.import_module("liuhen.activities.migrations.0002_activity_types")


def seed_types() -> None:
    """The data migration's types (a transactional test's flush removes them)."""
    _SEED.seed(apps, None)


def kind(code: str) -> ActivityType:
    return ActivityType.objects.get(code=code)


def record(
    actor: Any, case: Any, officers: list[Any], code: str = "inspection", **kw: Any
) -> Activity:
    start = kw.pop("started_at", timezone.now() - dt.timedelta(hours=2))
    return actions.record_activity(
        actor,
        case=case,
        type=kind(code),
        started_at=start,
        ended_at=kw.pop("ended_at", start + dt.timedelta(hours=1)),
        place=kw.pop("place", "大洼区田家街道某农资店"),
        officers=officers,
        **kw,
    )
