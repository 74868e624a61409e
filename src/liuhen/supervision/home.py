"""The supervisor's home (/supervision/): one tile per area of supervision.

Each area adds its tile in the app's ``ready()`` (``TILES.append``); the home shows the
tiles the person may open, in ``order``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Tile:
    key: str
    label: str | Promise
    url_name: str  # e.g. "supervision:spot_checks"
    permission: str  # a declared permission code; the tile shows only to who has it
    order: int = 100


TILES: list[Tile] = []
