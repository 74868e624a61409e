"""Cases with a known 立案 date, so each clock falls on a known day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import CaseFactory


def local(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def case_opened(unit_a: Any, officer_wang: Any) -> Callable[..., Any]:
    """A case of unit A assigned to officer 王明, opened on the given day."""

    def make(day: dt.date, *, unit: Any = None, officers: Any = None, **kwargs: Any) -> Any:
        return CaseFactory(
            unit=unit or unit_a,
            officers=[officer_wang] if officers is None else officers,
            opened_at=local(day),
            **kwargs,
        )

    return make
