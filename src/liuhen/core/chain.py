"""The audit chain's canonical encoding and hashes.

Standard library only: ``liuhen.verify_export`` uses this module without Django,
so an outside auditor checks an export with exactly the code that wrote it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

GENESIS_HASH = "0" * 64

# Every field the hash covers, in the order they are documented.
FIELDS = (
    "seq",
    "time",
    "actor_type",
    "actor_id",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "case_id",
    "ip",
    "user_agent",
    "outcome",
    "details",
    "prev_hash",
)


def canonical(event: dict[str, Any]) -> bytes:
    """The bytes that are hashed: sorted-key compact JSON in UTF-8 of FIELDS."""
    body = {name: event[name] for name in FIELDS}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hashes(event: dict[str, Any]) -> tuple[str, str]:
    """(SHA-256, SM3) of the canonical encoding, hex."""
    data = canonical(event)
    return hashlib.sha256(data).hexdigest(), hashlib.new("sm3", data).hexdigest()
