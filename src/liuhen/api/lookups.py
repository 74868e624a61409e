"""Small helpers of the routers: local times, names in a request body, usernames.

Names in a request body (usernames) resolve only among the people the router offers
(``users_named``), so a request cannot probe for accounts. Objects are fetched with the
access idiom (``access.get_visible_or_404``) in the routers themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from liuhen.accounts.models import User


def aware(value: dt.datetime) -> dt.datetime:
    """A datetime sent without an offset is local time (Asia/Shanghai by default)."""
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def users_named(
    names: Iterable[str], among: QuerySet[User], *, field: str, unknown_message: str
) -> list[User]:
    """Active users of ``among`` by username, in the order given; unknown names → 422.

    ``unknown_message`` has a ``%(name)s`` placeholder; the error is keyed by ``field``.
    """
    wanted = list(dict.fromkeys(names))
    found = {
        user.username: user for user in among.filter(username__in=wanted, is_active=True).distinct()
    }
    unknown = [name for name in wanted if name not in found]
    if unknown:
        raise ValidationError({field: [unknown_message % {"name": name} for name in unknown]})
    return [found[name] for name in wanted]


def username(user: Any) -> str:
    return user.get_username() if user is not None else ""


def display_name(user: Any) -> str:
    return str(getattr(user, "display_name", "") or username(user))
