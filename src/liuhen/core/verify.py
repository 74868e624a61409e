"""``verify_chain()``: recompute the whole audit log from the database (R1.1, R23.1).

Events are streamed in order (``iterator(chunk_size=2000)``) and the Merkle root is
kept in a compact range, so a log of millions of events needs little memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from liuhen.core import logcheck
from liuhen.core.audit import format_time
from liuhen.core.chain import FIELDS
from liuhen.core.logcheck import ChainError, CheckResult
from liuhen.core.models import AuditEvent, TreeHead
from liuhen.core.signing_keys import keyring
from liuhen.core.treehead import as_record

_COLUMNS = (*FIELDS, "hash", "sm3")


def _events() -> Iterator[dict[str, Any]]:
    rows = AuditEvent.objects.order_by("seq").values(*_COLUMNS).iterator(chunk_size=2000)
    last = 0
    try:
        for row in rows:
            row["time"] = format_time(row["time"])
            last = row["seq"]
            yield row
    except (ValueError, TypeError) as exc:
        # A row changed behind the application's back may not even decode.
        raise ChainError(last + 1, f"event after {last} cannot be read: {exc}") from None


def verify_chain() -> CheckResult:
    """Check seq, prev_hash, SHA-256, SM3 of every event and every signed tree head."""
    heads = [as_record(head) for head in TreeHead.objects.order_by("tree_size", "id")]
    # Each head is checked with the key valid when it was signed (keys are rotated).
    return logcheck.check(_events(), heads, None, keyring=keyring())
