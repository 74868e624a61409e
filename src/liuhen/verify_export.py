"""Check an audit export with no Django and no database — the outside auditor's tool (R1.1).

    python -m liuhen.verify_export [--public-key FILE | --public-keys FILE | --key-id HEX]
                                   [--allow-unsigned-tail N] FILE

Exit status: 0 the export is intact; 1 it was tampered with (the first bad sequence
number is named); 2 the file cannot be read or is not an audit export. Only the
standard library, ``cryptography`` and the Django-free ``liuhen.core.chain``,
``liuhen.core.merkle`` and ``liuhen.core.logcheck`` are imported.

Two things an export cannot prove about itself, so the auditor brings them:

- whose key signed it — the key inside the file is whatever its writer put there, so
  whoever rewrites the events can re-sign every head with a key of their own. The bureau's
  key (or its id) comes out of band and is pinned with ``--public-key`` / ``--key-id``;
  once the key was rotated, the bureau's list of keys with their validity periods
  (``liuhen audit public-keys``) is pinned with ``--public-keys``, and each head must be
  signed by a key of that list valid at the head's time;
- that nothing after the last signed head was rewritten — events no head covers can be
  changed and re-chained at will, so they fail unless ``--allow-unsigned-tail`` admits them.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from liuhen.core.logcheck import (
    KEYRING_FORMAT,
    ChainError,
    CheckResult,
    HeadRecord,
    KeyRing,
    LogChecker,
    ValidKey,
    key_id,
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


def _signing_keys(
    entries: list[dict[str, Any]],
    pinned_key: Ed25519PublicKey | None,
    pinned_id: str | None,
    pinned_ring: KeyRing | None,
) -> KeyRing:
    """The keys the heads must be signed with: the pinned ones, never merely the file's."""
    try:
        in_file = KeyRing.from_dicts(entries)
    except (KeyError, TypeError, ValueError):
        raise ChainError(None, "the public key in the export is unreadable") from None
    if pinned_ring is not None:
        for valid in in_file.keys:
            if valid.key_id not in pinned_ring:
                raise ChainError(
                    None,
                    f"the export carries key {valid.key_id}, not one of the bureau's keys: "
                    "its tree heads were signed by someone else",
                )
        return pinned_ring
    expected = key_id(pinned_key) if pinned_key is not None else pinned_id
    if expected is None:
        return in_file
    if in_file and expected not in in_file:
        raise ChainError(
            None,
            f"the export carries key {in_file.keys[-1].key_id}, not the bureau's key "
            f"{expected}: its tree heads were signed by someone else",
        )
    if pinned_key is not None:
        return KeyRing.single(pinned_key)
    found = in_file.get(expected)
    if found is None:
        raise ChainError(None, f"the export carries no public key to match key id {expected}")
    # The auditor vouches for the key itself, not for a validity period the file states.
    return KeyRing([ValidKey(found.key)])


def check_export(
    path: Path,
    *,
    public_key: Ed25519PublicKey | None = None,
    pinned_key_id: str | None = None,
    pinned_keys: KeyRing | None = None,
    allow_unsigned_tail: int = 0,
) -> CheckResult:
    """Two passes over the file: header, key and tree heads first, then the events.

    ``public_key`` / ``pinned_key_id`` / ``pinned_keys``: the bureau's key (or list of
    keys with validity periods) as the auditor got it out of band; without any, the keys
    inside the file are used. ``allow_unsigned_tail``: how many
    events after the last signed head are accepted.
    """
    header: dict[str, Any] | None = None
    key_entries: list[dict[str, Any]] = []
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
            elif kind == "public_key":
                key_entries.append(record)
            else:
                raise ChainError(events_before + 1, f"line {number} is not a valid record")
        if header is None:
            raise Unusable(f"{path} is empty")
        ring = _signing_keys(key_entries, public_key, pinned_key_id, pinned_keys)
        checker = LogChecker(public_key=None, heads=heads, keyring=ring)
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
        declared_heads = header.get("tree_head_count")
        if declared_heads != len(heads):
            raise ChainError(
                None,
                f"the header declares {declared_heads} signed tree heads "
                f"but the export holds {len(heads)}",
            )
        signed = result.latest_head_size or 0
        unsigned = result.count - signed
        if unsigned > allow_unsigned_tail:
            raise ChainError(
                signed + 1,
                f"{_events(unsigned)} not covered by a signed tree head (sequence numbers "
                f"{signed + 1}–{result.count}): they could have been rewritten and re-chained; "
                f"--allow-unsigned-tail {unsigned} accepts them",
            )
        return result
    except ChainError as error:
        return CheckResult(ok=False, heads=len(heads), first_bad_seq=error.seq, reason=error.reason)


def _events(count: int) -> str:
    return "the last event is" if count == 1 else f"the last {count} events are"


def _key_id_argument(value: str) -> str:
    if not re.fullmatch(r"[0-9a-fA-F]{64}", value):
        raise argparse.ArgumentTypeError("a key id is 64 hexadecimal digits (SHA-256)")
    return value.lower()


def _read_key_list(path: Path) -> KeyRing:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != KEYRING_FORMAT:
            raise ValueError("not a list of audit keys (`liuhen audit public-keys`)")
        ring = KeyRing.from_dicts(data["keys"])
    except (KeyError, TypeError, ValueError) as exc:
        raise Unusable(f"{path}: {exc}") from None
    if not ring:
        raise Unusable(f"{path}: the list of keys is empty")
    return ring


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m liuhen.verify_export",
        description="Check a Liuhen audit export (hash chain, SM3, Merkle tree heads).",
    )
    parser.add_argument("file", type=Path, help="the export written by `liuhen audit export`")
    pin = parser.add_mutually_exclusive_group()
    pin.add_argument(
        "--public-key",
        type=Path,
        metavar="FILE",
        help="the bureau's public key (PEM), obtained separately from the export",
    )
    pin.add_argument(
        "--public-keys",
        type=Path,
        metavar="FILE",
        help="the bureau's list of keys with validity periods (`liuhen audit public-keys`), "
        "obtained separately from the export",
    )
    pin.add_argument(
        "--key-id",
        type=_key_id_argument,
        metavar="HEX",
        help="the SHA-256 id of the bureau's public key, obtained separately from the export",
    )
    parser.add_argument(
        "--allow-unsigned-tail",
        type=int,
        default=0,
        metavar="N",
        help="accept up to N events after the last signed tree head (default 0)",
    )
    args = parser.parse_args(argv)
    try:
        pinned = None
        if args.public_key is not None:
            try:
                pinned = load_public_key_pem(args.public_key.read_bytes())
            except ValueError as exc:
                raise Unusable(f"{args.public_key}: not an Ed25519 public key ({exc})") from None
        ring = _read_key_list(args.public_keys) if args.public_keys is not None else None
        result = check_export(
            args.file,
            public_key=pinned,
            pinned_key_id=args.key_id,
            pinned_keys=ring,
            allow_unsigned_tail=max(args.allow_unsigned_tail, 0),
        )
    except (OSError, UnicodeDecodeError, Unusable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return UNUSABLE
    if pinned is None and args.key_id is None and ring is None:
        print(
            "warning: signatures were checked against the public key inside the export, which "
            "whoever wrote the file chose; pin the bureau's key with --public-key FILE, "
            "--public-keys FILE or --key-id HEX (see docs/audit-export.md)",
            file=sys.stderr,
        )
    if result.ok:
        summary = result.summary().replace("audit log", "audit export", 1)
        unsigned = result.count - (result.latest_head_size or 0)
        if unsigned:
            summary += f"; {unsigned} unsigned at the end, accepted by --allow-unsigned-tail"
        print(summary)
        return INTACT
    print(result.summary().replace("audit log", "audit export", 1), file=sys.stderr)
    return TAMPERED


if __name__ == "__main__":
    sys.exit(main())
