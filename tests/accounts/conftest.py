from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.utils import timezone


class Clock:
    """A settable ``timezone.now`` (the code asks ``timezone.now()`` everywhere)."""

    def __init__(self) -> None:
        self.now = timezone.now()

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    c = Clock()
    monkeypatch.setattr(timezone, "now", c)
    yield c
