"""Audit log verification: events re-hashed (SHA-256 + SM3) and Merkle-checked per second."""

from __future__ import annotations

import os
from typing import Any

from bench.harness import timer

NAME = "audit_verify"
DESCRIPTION = "full `audit verify` of the log: events checked per second, and export size"
EVENTS = int(os.environ.get("LIUHEN_BENCH_AUDIT_EVENTS", "50000"))


def run() -> list[dict[str, Any]]:
    from django.db import transaction

    from liuhen.core import audit
    from liuhen.core.models import AuditEvent
    from liuhen.core.treehead import sign_tree_head
    from liuhen.core.verify import verify_chain

    missing = EVENTS - AuditEvent.objects.count()
    with timer() as appended, transaction.atomic():
        for index in range(max(missing, 0)):
            audit.record(
                "case.view",
                object_type="cases.case",
                object_id=index % 997,
                case_id=index % 997,
                details={"bench": index},
            )
    sign_tree_head()
    with timer() as verified:
        result = verify_chain()
    assert result.ok, result
    count = AuditEvent.objects.count()
    return [
        {
            "events": count,
            "append_seconds": appended["seconds"],
            "appends_per_second_one_transaction": max(missing, 1) / appended["seconds"],
            "verify_seconds": verified["seconds"],
            "verified_per_second": count / verified["seconds"],
        }
    ]
