"""One checklist item as the reviewer scores it: the points taken off, a veto item failed,
and why."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Mark:
    deduction: Decimal = Decimal(0)
    vetoed: bool = False
    note: str = ""
