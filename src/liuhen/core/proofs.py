"""Merkle proofs over the audit log, as plain dicts for the API and the pages (R1.1).

Leaf ``seq - 1`` is the event hash of event ``seq`` (see :mod:`liuhen.core.merkle`).
Each proof is built from O(log n) subtree ranges, each streamed from the database once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from liuhen.core import merkle
from liuhen.core.audit import latest_seq
from liuhen.core.models import AuditEvent, TreeHead
from liuhen.core.treehead import as_dict, leaf_stream, public_key_pem
from liuhen.core.treehead import latest_head as latest_tree_head


class ProofError(ValueError):
    """The proof asked for does not exist (bad sizes, unknown event)."""


def _subtree_root(start: int, end: int) -> bytes:
    acc = merkle.CompactRange()
    for value in leaf_stream(start, end):
        acc.append(bytes.fromhex(value))
    if acc.size != end - start:
        raise ProofError(
            _("Events %(first)d–%(last)d are not all present.") % {"first": start + 1, "last": end}
        )
    return acc.root()


def _head_of_size(size: int) -> TreeHead | None:
    return TreeHead.objects.filter(tree_size=size).order_by("-id").first()


def _head_dict(head: TreeHead | None) -> dict[str, Any] | None:
    if head is None:
        return None
    # "timestamp" is the signed value (ms since the epoch); "time" is for people.
    return {**as_dict(head), "time": head.timestamp.astimezone(dt.UTC).isoformat()}


def inclusion(seq: int, tree_size: int | None = None) -> dict[str, Any]:
    """Inclusion proof of event ``seq`` in the tree of the first ``tree_size`` events.

    Without ``tree_size``: the latest signed tree head that covers the event, else the
    whole log as it is now (then ``tree_head`` is None: not yet signed).
    """
    log_size = latest_seq()
    head: TreeHead | None
    if tree_size is None:
        head = latest_tree_head()
        if head is None or head.tree_size < seq:
            head, tree_size = None, log_size
        else:
            tree_size = head.tree_size
    else:
        head = _head_of_size(tree_size)
    if not 1 <= seq <= tree_size <= log_size:
        raise ProofError(
            _("There is no event %(seq)d in a tree of size %(size)d (the log holds %(log)d).")
            % {"seq": seq, "size": tree_size, "log": log_size}
        )
    event_hash = AuditEvent.objects.filter(seq=seq).values_list("hash", flat=True).first()
    if event_hash is None:
        raise ProofError(_("Event %(seq)d does not exist.") % {"seq": seq})
    path = [_subtree_root(s, e) for s, e in merkle.inclusion_ranges(seq - 1, tree_size)]
    hashed_leaf = merkle.leaf_hash(bytes.fromhex(event_hash))
    root = merkle.root_from_inclusion(seq - 1, tree_size, hashed_leaf, path)
    assert root is not None  # the path was made for this index and size
    return {
        "seq": seq,
        "leaf_index": seq - 1,
        "tree_size": tree_size,
        "event_hash": event_hash,
        "leaf_hash": hashed_leaf.hex(),
        "path": [node.hex() for node in path],
        "root_hash": root.hex(),
        "tree_head": _head_dict(head),
        "matches_tree_head": head is not None and head.root_hash == root.hex(),
    }


def consistency(first: int, second: int) -> dict[str, Any]:
    """Proof that the log's first ``first`` events are a prefix of its first ``second``."""
    log_size = latest_seq()
    # RFC 9162 §2.1.4: a consistency proof is between two non-empty trees (0 < first).
    if not 1 <= first <= second <= log_size:
        raise ProofError(
            _("There is no consistency proof from %(first)d to %(second)d (the log holds %(log)d).")
            % {"first": first, "second": second, "log": log_size}
        )
    acc = merkle.CompactRange()
    first_root = merkle.EMPTY_ROOT
    for value in leaf_stream(0, second):
        acc.append(bytes.fromhex(value))
        if acc.size == first:
            first_root = acc.root()
    if acc.size != second:
        raise ProofError(
            _("Events %(first)d–%(last)d are not all present.") % {"first": 1, "last": second}
        )
    proof = [_subtree_root(s, e) for s, e in merkle.consistency_ranges(first, second)]
    return {
        "first": first,
        "second": second,
        "first_root": first_root.hex(),
        "second_root": acc.root().hex(),
        "proof": [node.hex() for node in proof],
        "first_tree_head": _head_dict(_head_of_size(first)),
        "second_tree_head": _head_dict(_head_of_size(second)),
    }


def latest_head() -> dict[str, Any] | None:
    """The latest signed tree head with the public key to check it, or None."""
    head = latest_tree_head()
    result = _head_dict(head)
    if result is not None:
        result["public_key_pem"] = public_key_pem(create=False)
    return result
