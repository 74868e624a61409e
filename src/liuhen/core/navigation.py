"""The navigation bar's entries, contributed by the apps.

Each app lists its entries in its ``apps.py`` and registers them in ``ready()``
(``registry.navigation``). An entry shows when the access policy allows its permission,
so the menu and the pages behind it can never disagree; the system checks make sure
every entry's page exists and its permission is declared. The bar highlights the entry
whose URL the page lies under, unless the page says it belongs to another
(:func:`belongs_to`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise

View = Callable[..., HttpResponse]


@dataclass(frozen=True)
class Entry:
    key: str
    label: str | Promise
    url_name: str
    permission: str | None  # None: every signed-in user
    order: int  # place in the bar, left to right


def belongs_to(key: str) -> Callable[[View], View]:
    """The page is part of entry ``key`` though its URL lies under another entry's: a
    decision's payments page (/delivery/payments/…) is part of 案件, not of 送达台账."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            request.navigation_entry = key  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
