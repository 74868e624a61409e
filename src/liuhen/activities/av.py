"""The link point between activities and AV records (R5.2).

The media app counts and lists the AV records linked to an activity and registers its
counter and its listing in ``MediaConfig.ready()`` (``registry.av_counters``,
``registry.av_listings``); this app stays free of the media models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from liuhen.core import registry

if TYPE_CHECKING:
    from liuhen.activities.models import Activity


def linked_av(user: Any, activity: Activity) -> list[Any]:
    """The AV records linked to ``activity`` that ``user`` may see, each with its capture
    time, duration, officer and page (empty while no listing is registered)."""
    return [row for listing in registry.av_listings.values() for row in listing(user, activity)]


def linked_av_count(activity: Activity) -> int:
    """How many AV records are linked to ``activity`` (0 while no counter is registered)."""
    return sum(counter(activity) for counter in registry.av_counters.values())
