"""The audited export or print of a register (R4.3), used by the register kit
(``core.registers``) for every register of every app."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from liuhen.core import access, audit

if TYPE_CHECKING:
    from django.http import HttpRequest


def record_export(
    actor: Any,
    *,
    permission: str,
    event: str,
    object_type: str,
    filters: dict[str, Any],
    fmt: str,
    rows: int,
    request: HttpRequest | None = None,
) -> None:
    """R4.3: an export or print of a register is a read of many records at once: allowed by
    the register's permission, and audited with its filter, format and size."""
    access.require(actor, permission, request=request)
    with transaction.atomic(durable=True):
        audit.record(
            event,
            actor=actor,
            request=request,
            object_type=object_type,
            details={"filters": filters, "format": fmt, "rows": rows},
        )
