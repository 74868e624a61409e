"""Writing an audit export: JSON Lines an outsider checks with ``liuhen.verify_export``.

The format is documented in ``docs/audit-export.md``. Lines, each one JSON object:
a header, the public keys (each with its validity period), one line per event (every
hashed field, ``hash`` and ``sm3``) and one line per signed tree head. Events are
streamed, never held in memory.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from django.utils import timezone

from liuhen.core.audit import format_time
from liuhen.core.chain import FIELDS
from liuhen.core.models import AuditEvent, TreeHead
from liuhen.core.signing_keys import keyring
from liuhen.core.treehead import as_dict

FORMAT = "liuhen-audit-export"
VERSION = 1


def _line(stream: TextIO, record: dict[str, Any]) -> None:
    stream.write(json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")))
    stream.write("\n")


def write_export(stream: TextIO, tree_size: int, *, all_heads: bool = False) -> dict[str, int]:
    """Write events 1..``tree_size`` and the signed heads over at most that many events
    (``all_heads``: every head, as when a damaged log is exported as it stands)."""
    heads_query = TreeHead.objects.order_by("tree_size", "id")
    if not all_heads:
        heads_query = heads_query.filter(tree_size__lte=tree_size)
    heads = list(heads_query)
    _line(
        stream,
        {
            "type": "header",
            "format": FORMAT,
            "version": VERSION,
            "exported_at": format_time(timezone.now()),
            "event_count": tree_size,
            "tree_head_count": len(heads),
            "hash": "sha256+sm3 of canonical JSON (liuhen.core.chain)",
            "merkle": "RFC 9162; leaf = event SHA-256 hash bytes",
            "signature": "Ed25519 over RFC 9162 TreeHeadDataV2",
        },
    )
    # Every key that ever signed, with its validity period (none: nothing was signed).
    for valid in keyring().keys:
        _line(stream, {"type": "public_key", **valid.as_dict()})
    rows = (
        AuditEvent.objects.filter(seq__lte=tree_size)
        .order_by("seq")
        .values(*FIELDS, "hash", "sm3")
        .iterator(chunk_size=2000)
    )
    count = 0
    for row in rows:
        row["time"] = format_time(row["time"])
        _line(stream, {"type": "event", **row})
        count += 1
    for head in heads:
        _line(stream, {"type": "tree_head", **as_dict(head)})
    return {"events": count, "tree_heads": len(heads)}
