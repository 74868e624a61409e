"""A per-process cache of the configuration tables (rule overrides, calendar days).

The case list computes many deadlines, so the rules and the holiday table are held in
memory. A change made in this process clears the cache at once (model signals); a change
made by another process is noticed by one cheap version query — at most once per request,
and at most every ``CONFIG_CACHE_SECONDS`` outside requests (tasks, commands).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import connection
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")

_lock = threading.Lock()
_values: dict[str, Any] = {}
_version: tuple[Any, ...] | None = None
_generation = 0  # bumped by invalidate(); threads compare it with the one they checked


class _ThreadState(threading.local):
    checked_generation = -1
    checked_at = float("-inf")
    in_request = False


_state = _ThreadState()

_VERSION_SQL = (
    "SELECT (SELECT COUNT(*) FROM core_ruleoverride),"
    " (SELECT MAX(changed_at) FROM core_ruleoverride),"
    " (SELECT COUNT(*) FROM core_calendarday),"
    " (SELECT MAX(updated_at) FROM core_calendarday),"
    " (SELECT COUNT(*) FROM core_calendaryear),"
    " (SELECT MAX(updated_at) FROM core_calendaryear)"
)


def _database_version() -> tuple[Any, ...]:
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        row = cursor.fetchone()
    return tuple(str(item) for item in row)


def _max_age() -> float:
    return float(getattr(settings, "CONFIG_CACHE_SECONDS", 5))


def _check() -> None:
    """Drop cached values if another process changed the tables since they were read."""
    global _version
    now = time.monotonic()
    fresh = _state.checked_generation == _generation and (
        _state.in_request or now - _state.checked_at < _max_age()
    )
    if fresh:
        return
    version = _database_version()
    with _lock:
        if version != _version:
            _values.clear()
            _version = version
        _state.checked_generation = _generation
        _state.checked_at = now


def cached(name: str, load: Callable[[], T]) -> T:
    """The value ``load()`` returned, kept until the configuration tables change."""
    _check()
    try:
        found: T = _values[name]
        return found
    except KeyError:
        pass
    value = load()
    with _lock:
        _values[name] = value
    return value


def invalidate(**_: Any) -> None:
    """Forget everything; the next read reloads (called on every change in this process)."""
    global _version, _generation
    with _lock:
        _values.clear()
        _version = None
        _generation += 1


def _request_started(**_: Any) -> None:
    # One version query per request, whatever the number of deadlines on the page.
    _state.in_request = True
    _state.checked_generation = -1


def _request_finished(**_: Any) -> None:
    _state.in_request = False
    _state.checked_generation = -1


def connect_signals() -> None:
    """Wire the invalidation (called from ``CoreConfig.ready``)."""
    from liuhen.core.models import CalendarDay, CalendarYear, RuleOverride

    request_started.connect(_request_started, dispatch_uid="liuhen.confcache.started")
    request_finished.connect(_request_finished, dispatch_uid="liuhen.confcache.finished")
    for model in (RuleOverride, CalendarDay, CalendarYear):
        uid = f"liuhen.confcache.{model.__name__}"
        post_save.connect(invalidate, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(invalidate, sender=model, dispatch_uid=uid + ".delete")
