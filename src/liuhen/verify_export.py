"""Check an audit export with no Django and no database — the outside auditor's tool (R1.1).

    python -m liuhen.verify_export FILE

Exit status: 0 the export is intact; 1 it was tampered with (the first bad sequence
number is named); 2 the file cannot be read or is not an audit export. Only the
standard library, ``cryptography`` and the Django-free ``liuhen.core.chain``,
``liuhen.core.merkle`` and ``liuhen.core.logcheck`` are imported.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from liuhen.core.logcheck import (
    ChainError,
    CheckResult,
    HeadRecord,
    LogChecker,
    load_public_key_pem,
)

FORMAT = "liuhen-audit-export"
INTACT, TAMPERED, UNUSABLE = 0, 1, 2


class Unusable(Exception):
    pass


def _records(path: Path) -> Iterator[tuple[int, Any]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError:
                yield number, None


def _head(number: int, record: dict[str, Any]) -> HeadRecord:
    try:
        return HeadRecord(
            tree_size=int(record["tree_size"]),
            timestamp_ms=int(record["timestamp"]),
            root_hash=str(record["root_hash"]),
            signature=str(record["signature"]),
            key_id=str(record["key_id"]),
            label=f"signed tree head on line {number} (size {record['tree_size']})",
        )
    except (KeyError, TypeError, ValueError):
        raise ChainError(None, f"line {number}: malformed tree head") from None


def check_export(path: Path) -> CheckResult:
    """Two passes over the file: header, key and tree heads first, then the events."""
    header: dict[str, Any] | None = None
    pem: str | None = None
    heads: list[HeadRecord] = []
    events_before = 0
    try:
        for number, record in _records(path):
            if number == 1:
                if not isinstance(record, dict) or record.get("format") != FORMAT:
                    raise Unusable(f"{path} is not a Liuhen audit export")
                header = record
                continue
            kind = record.get("type") if isinstance(record, dict) else None
            if kind == "event":
                events_before += 1
            elif kind == "tree_head":
                heads.append(_head(number, record))
            elif kind == "public_key" and pem is None:
                pem = str(record.get("pem", ""))
            else:
                raise ChainError(events_before + 1, f"line {number} is not a valid record")
        if header is None:
            raise Unusable(f"{path} is empty")
        key = None
        if pem is not None:
            try:
                key = load_public_key_pem(pem)
            except ValueError:
                raise ChainError(None, "the public key in the export is unreadable") from None
        checker = LogChecker(public_key=key, heads=heads)
        for _number, record in _records(path):
            if record.get("type") == "event":
                checker.add(record)
        result = checker.finish()
        declared = header.get("event_count")
        if declared != result.count:
            raise ChainError(
                min(result.count, declared) + 1 if isinstance(declared, int) else None,
                f"the header declares {declared} events but the export holds {result.count}",
            )
        return result
    except ChainError as error:
        return CheckResult(ok=False, heads=len(heads), first_bad_seq=error.seq, reason=error.reason)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m liuhen.verify_export",
        description="Check a Liuhen audit export (hash chain, SM3, Merkle tree heads).",
    )
    parser.add_argument("file", type=Path, help="the export written by `liuhen audit export`")
    args = parser.parse_args(argv)
    try:
        result = check_export(args.file)
    except (OSError, UnicodeDecodeError, Unusable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return UNUSABLE
    if result.ok:
        print(result.summary().replace("audit log", "audit export", 1))
        return INTACT
    print(result.summary().replace("audit log", "audit export", 1), file=sys.stderr)
    return TAMPERED


if __name__ == "__main__":
    sys.exit(main())
