"""The link point between activities and AV records (R5.2).

The media app counts the AV records linked to an activity; until it registers its
counter, no activity has any. Registering keeps this app free of the media models.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from liuhen.activities.models import Activity

AvCounter = Callable[["Activity"], int]

_COUNTERS: list[AvCounter] = []


def register_av_counter(counter: AvCounter) -> AvCounter:
    """Add a source of linked AV records (idempotent; usable as a decorator)."""
    if counter not in _COUNTERS:
        _COUNTERS.append(counter)
    return counter


def unregister_av_counter(counter: AvCounter) -> None:
    if counter in _COUNTERS:
        _COUNTERS.remove(counter)


def linked_av_count(activity: Activity) -> int:
    """How many AV records are linked to ``activity`` (0 while no provider is registered)."""
    return sum(counter(activity) for counter in _COUNTERS)
