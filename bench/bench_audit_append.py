"""Audit log appends: events per second, one transaction each, as actions write them."""

from __future__ import annotations

from typing import Any

from bench.harness import timer

NAME = "audit_append"
DESCRIPTION = "audit events appended per second (one transaction per event)"


def run() -> list[dict[str, Any]]:
    from django.db import transaction

    from liuhen.core import audit

    rows = []
    for count in (200, 2000):
        with timer() as elapsed:
            for index in range(count):
                with transaction.atomic():
                    audit.record("bench.append", object_type="bench", object_id=index)
        rows.append(
            {
                "events": count,
                "seconds": elapsed["seconds"],
                "events_per_second": count / elapsed["seconds"],
            }
        )
    return rows
