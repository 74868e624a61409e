"""What an action changed, in the shape audit events carry: ``{field: {"from", "to"}}``."""

from __future__ import annotations

from typing import Any


def plain(value: Any) -> Any:
    """A value as the log keeps it: a related row by its primary key."""
    if hasattr(value, "pk"):
        return value.pk
    return value


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The fields of ``after`` whose value differs from ``before``."""
    return {
        name: {"from": before.get(name), "to": after[name]}
        for name in after
        if before.get(name) != after[name]
    }
