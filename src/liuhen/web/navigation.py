"""The navigation bar: which of the apps' entries (``registry.navigation``) each person sees.

An entry shows when the access policy allows its permission, so the menu and the pages
behind it can never disagree.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from liuhen.core import access, registry


def entries_for(
    user: Any, current_path: str = "", belongs_to: str | None = None
) -> list[dict[str, Any]]:
    """The entries ``user`` sees; the active one is ``belongs_to`` when the page names the
    entry it belongs to (``navigation.belongs_to``), else the one the path lies under."""
    items: list[dict[str, Any]] = []
    for entry in sorted(registry.navigation.values(), key=lambda e: (e.order, e.key)):
        if entry.permission is not None and not access.can(user, entry.permission):
            continue
        url = reverse(entry.url_name)
        items.append({"key": entry.key, "label": entry.label, "url": url, "active": False})
    if belongs_to is not None:
        for item in items:
            item["active"] = item["key"] == belongs_to
        return items
    # The longest entry the page lies under is the active one (/media/upload/ is "upload",
    # not also "media" at /media/).
    matches = [item for item in items if _under(current_path, str(item["url"]))]
    if matches:
        max(matches, key=lambda item: len(str(item["url"])))["active"] = True
    return items


def _under(path: str, url: str) -> bool:
    return path == url if url == "/" else path.startswith(url)
