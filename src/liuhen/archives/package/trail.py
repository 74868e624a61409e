"""The case's audit events in the package, each with an RFC 9162 inclusion proof against
one signed tree head, and the public key that signed it (R1.1).

A proof is the roots of O(log n) subtrees. Subtree roots of 256 leaves or more are kept
while the proofs are made, so the log is read once however many events the case has.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from liuhen.cases.models import Case
from liuhen.cases.timeline import trail
from liuhen.core import merkle
from liuhen.core.audit import format_time
from liuhen.core.chain import FIELDS
from liuhen.core.models import TreeHead
from liuhen.core.treehead import as_dict, leaf_stream

_CACHED_SPAN = 256


def case_events(case: Case, up_to_seq: int) -> list[dict[str, Any]]:
    """The case's events with seq ≤ ``up_to_seq`` as the audit export writes them."""
    rows = trail(case).filter(seq__lte=up_to_seq).order_by("seq").values(*FIELDS, "hash", "sm3")
    events = []
    for row in rows:
        row["time"] = format_time(row["time"])
        events.append(dict(row))
    return events


def events_digest(events: list[dict[str, Any]]) -> str:
    """SHA-256 over "seq hash" lines: which events the case had when its package was sealed."""
    lines = "".join(f"{event['seq']} {event['hash']}\n" for event in events)
    return hashlib.sha256(lines.encode()).hexdigest()


class _Tree:
    def __init__(self, leaves: list[bytes]) -> None:
        self.leaves = leaves
        self.cache: dict[tuple[int, int], bytes] = {}

    def root(self, start: int, end: int) -> bytes:
        if end - start == 1:
            return merkle.leaf_hash(self.leaves[start])
        key = (start, end)
        found = self.cache.get(key)
        if found is not None:
            return found
        split = start + merkle.split_point(end - start)
        value = merkle.node_hash(self.root(start, split), self.root(split, end))
        if end - start >= _CACHED_SPAN:
            self.cache[key] = value
        return value


def proofs(events: list[dict[str, Any]], head: TreeHead) -> list[dict[str, Any]]:
    """An inclusion proof of each event in the tree of ``head``."""
    tree = _Tree([bytes.fromhex(value) for value in leaf_stream(0, head.tree_size)])
    result = []
    for event in events:
        index = event["seq"] - 1
        path = [tree.root(s, e) for s, e in merkle.inclusion_ranges(index, head.tree_size)]
        result.append(
            {
                "seq": event["seq"],
                "leaf_index": index,
                "tree_size": head.tree_size,
                "path": [node.hex() for node in path],
            }
        )
    return result


def dumps_line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def audit_files(events: list[dict[str, Any]], head: TreeHead, pem: str) -> dict[str, bytes]:
    """The package's audit folder: events (JSON Lines), proofs, tree head, public key."""
    return {
        "events": "".join(dumps_line(e) for e in events).encode(),
        "proofs": (json.dumps(proofs(events, head), indent=1) + "\n").encode(),
        "tree_head": (json.dumps(as_dict(head), indent=1, sort_keys=True) + "\n").encode(),
        "public_key": pem.encode(),
    }
