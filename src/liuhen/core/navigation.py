"""The navigation bar's entries, contributed by the apps.

Each app lists its entries in its ``apps.py`` and registers them in ``ready()``
(``registry.navigation``). An entry shows when the access policy allows its permission,
so the menu and the pages behind it can never disagree; the system checks make sure
every entry's page exists and its permission is declared.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Entry:
    key: str
    label: str | Promise
    url_name: str
    permission: str | None  # None: every signed-in user
    order: int  # place in the bar, left to right
