"""The link point between activities and AV records (R5.2).

The media app counts the AV records linked to an activity and registers its counter in
``MediaConfig.ready()`` (``registry.av_counters``); this app stays free of the media
models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from liuhen.core import registry

if TYPE_CHECKING:
    from liuhen.activities.models import Activity


def linked_av_count(activity: Activity) -> int:
    """How many AV records are linked to ``activity`` (0 while no counter is registered)."""
    return sum(counter(activity) for counter in registry.av_counters.values())
