"""Checking the audit log, event by event — shared by ``liuhen audit verify`` and the
outside auditor's ``python -m liuhen.verify_export`` (R1.1, R23.1).

No Django here (standard library + ``cryptography``): the same checker runs over rows
streamed from the database and over lines of an export file.

What is signed in a tree head is RFC 9162 §4.9 ``TreeHeadDataV2`` in TLS encoding::

    uint64 timestamp (milliseconds since the Unix epoch, UTC)
    uint64 tree_size
    uint8  length of root hash (32), then the 32 root-hash bytes
    uint16 length of extensions (0)

signed with Ed25519; the key id is the SHA-256 of the 32-byte raw public key, hex.

The signing key is rotated now and then (``liuhen audit rotate-key``): each head is checked
with the key its ``key_id`` names, and that key must have been valid at the head's
timestamp (a :class:`KeyRing` of past keys with their validity periods).
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from liuhen.core import merkle
from liuhen.core.chain import GENESIS_HASH, event_hashes


def tree_head_message(tree_size: int, timestamp_ms: int, root_hash: bytes) -> bytes:
    """The bytes an Ed25519 tree-head signature covers (RFC 9162 TreeHeadDataV2)."""
    if len(root_hash) != 32:
        raise ValueError("root hash must be 32 bytes")
    return struct.pack(">QQB", timestamp_ms, tree_size, 32) + root_hash + b"\x00\x00"


def raw_public_key(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    return hashlib.sha256(raw_public_key(key)).hexdigest()


def load_public_key_pem(pem: str | bytes) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem.encode() if isinstance(pem, str) else pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("the audit public key is not an Ed25519 key")
    return key


@dataclass(frozen=True)
class HeadRecord:
    """A signed tree head as the checker sees it (hex strings as stored)."""

    tree_size: int
    timestamp_ms: int
    root_hash: str
    signature: str
    key_id: str
    label: str = ""

    def describe(self) -> str:
        return self.label or f"tree head of size {self.tree_size}"


KEYRING_FORMAT = "liuhen-audit-keys"


@dataclass(frozen=True)
class ValidKey:
    """A public key and when it signed: from ``valid_from_ms`` to ``valid_until_ms``
    (inclusive; None: still the signing key)."""

    key: Ed25519PublicKey
    valid_from_ms: int = 0
    valid_until_ms: int | None = None

    @property
    def key_id(self) -> str:
        return key_id(self.key)

    def covers(self, timestamp_ms: int) -> bool:
        return self.valid_from_ms <= timestamp_ms and (
            self.valid_until_ms is None or timestamp_ms <= self.valid_until_ms
        )

    def as_dict(self) -> dict[str, Any]:
        pem = self.key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()
        return {
            "key_id": self.key_id,
            "pem": pem,
            "valid_from": self.valid_from_ms,
            "valid_until": self.valid_until_ms,
        }


class KeyRing:
    """The audit signing keys, past and present, by key id."""

    def __init__(self, keys: Iterable[ValidKey] = ()) -> None:
        self.keys = list(keys)
        self._by_id = {valid.key_id: valid for valid in self.keys}

    @classmethod
    def single(cls, key: Ed25519PublicKey | None) -> KeyRing:
        """One key valid at any time (no rotation known)."""
        return cls([ValidKey(key)] if key is not None else [])

    @classmethod
    def from_dicts(cls, entries: Iterable[dict[str, Any]]) -> KeyRing:
        """From ``{"pem", "valid_from", "valid_until"}`` entries (a key list file, an export)."""
        keys = []
        for entry in entries:
            until = entry.get("valid_until")
            keys.append(
                ValidKey(
                    load_public_key_pem(str(entry["pem"])),
                    int(entry.get("valid_from") or 0),
                    int(until) if until is not None else None,
                )
            )
        return cls(keys)

    def __bool__(self) -> bool:
        return bool(self.keys)

    def __contains__(self, wanted_key_id: object) -> bool:
        return wanted_key_id in self._by_id

    def get(self, wanted_key_id: str) -> ValidKey | None:
        return self._by_id.get(wanted_key_id)

    def as_dict(self) -> dict[str, Any]:
        return {"format": KEYRING_FORMAT, "keys": [valid.as_dict() for valid in self.keys]}


def signature_problem(ring: KeyRing, head: HeadRecord) -> str | None:
    """Why ``head``'s signature does not hold under ``ring``, or None when it does."""
    if not ring:
        return f"{head.describe()}: no public key to check its signature"
    valid = ring.get(head.key_id)
    if valid is None:
        return f"{head.describe()} is signed by an unknown key"
    if not valid.covers(head.timestamp_ms):
        return f"{head.describe()} is signed by key {head.key_id} outside its validity period"
    try:
        root = bytes.fromhex(head.root_hash)
        message = tree_head_message(head.tree_size, head.timestamp_ms, root)
        valid.key.verify(bytes.fromhex(head.signature), message)
    except (InvalidSignature, ValueError):
        return f"{head.describe()} has an invalid signature"
    return None


@dataclass
class CheckResult:
    ok: bool
    count: int = 0
    heads: int = 0
    first_bad_seq: int | None = None
    reason: str = ""
    latest_root: str = ""
    latest_head_size: int | None = None
    latest_head_root: str = ""

    def summary(self) -> str:
        if self.ok:
            text = f"audit log intact: {self.count} events, {self.heads} signed tree heads"
            if self.latest_head_size is not None:
                text += (
                    f", latest signed root {self.latest_head_root} "
                    f"over {self.latest_head_size} events"
                )
            return text + f", current root {self.latest_root}"
        where = f" at sequence number {self.first_bad_seq}" if self.first_bad_seq else ""
        return f"audit log NOT intact{where}: {self.reason}"


class ChainError(Exception):
    def __init__(self, seq: int | None, reason: str) -> None:
        super().__init__(reason)
        self.seq = seq
        self.reason = reason


@dataclass
class LogChecker:
    """Feed events in order with :meth:`add`, then :meth:`finish`.

    Checks: sequence numbers gapless from 1, each ``prev_hash`` the previous hash, each
    SHA-256 and SM3 recomputed from the canonical encoding, and every signed tree head's
    root recomputed over its first ``tree_size`` events and its signature checked.
    The Merkle root is kept in a compact range, so memory stays O(log n).
    """

    public_key: Ed25519PublicKey | None
    heads: list[HeadRecord]
    keyring: KeyRing | None = None  # past keys too; without it only ``public_key``
    count: int = 0
    _prev: str = GENESIS_HASH
    _tree: merkle.CompactRange = field(default_factory=merkle.CompactRange)
    _pending: list[HeadRecord] = field(default_factory=list)
    _matched_size: int = 0  # largest tree size whose signed head matched

    def __post_init__(self) -> None:
        self._pending = sorted(self.heads, key=lambda head: head.tree_size, reverse=True)
        if self.keyring is None:
            self.keyring = KeyRing.single(self.public_key)
        self._check_heads_at(0)

    def add(self, event: dict[str, Any]) -> None:
        expected = self.count + 1
        seq = event.get("seq")
        if seq != expected:
            if isinstance(seq, int) and seq > expected:
                raise ChainError(
                    expected, f"event {expected} is missing or out of order (found event {seq})"
                )
            raise ChainError(
                expected,
                f"expected event {expected}, found event {seq!r}: duplicated or out of order",
            )
        if event.get("prev_hash") != self._prev:
            raise ChainError(seq, "previous hash does not match the hash of the event before")
        try:
            sha256, sm3 = event_hashes(event)
        except (KeyError, TypeError, ValueError) as exc:
            raise ChainError(seq, f"event cannot be encoded: {exc}") from None
        if event.get("hash") != sha256:
            raise ChainError(seq, "SHA-256 hash does not match the event's contents")
        if event.get("sm3") != sm3:
            raise ChainError(seq, "SM3 hash does not match the event's contents")
        self._tree.append(bytes.fromhex(sha256))
        self._prev = sha256
        self.count = seq
        self._check_heads_at(seq)

    def _check_heads_at(self, size: int) -> None:
        while self._pending and self._pending[-1].tree_size == size:
            head = self._pending.pop()
            self._check_signature(head)
            if head.root_hash != self._tree.root().hex():
                raise ChainError(
                    self._matched_size + 1,
                    f"{head.describe()} does not match events 1–{size}: "
                    f"events after {self._matched_size} were rewritten",
                )
            self._matched_size = size

    def _check_signature(self, head: HeadRecord) -> None:
        problem = signature_problem(self.keyring or KeyRing(), head)
        if problem is not None:
            raise ChainError(None, problem)

    def finish(self) -> CheckResult:
        if self._pending:
            head = self._pending[-1]
            raise ChainError(
                self.count + 1,
                f"{head.describe()} covers {head.tree_size} events but the log ends at "
                f"{self.count}: events were removed",
            )
        latest = max(self.heads, key=lambda head: head.tree_size, default=None)
        return CheckResult(
            ok=True,
            count=self.count,
            heads=len(self.heads),
            latest_root=self._tree.root().hex(),
            latest_head_size=latest.tree_size if latest else None,
            latest_head_root=latest.root_hash if latest else "",
        )


def check(
    events: Iterable[dict[str, Any]],
    heads: list[HeadRecord],
    public_key: Ed25519PublicKey | None,
    keyring: KeyRing | None = None,
) -> CheckResult:
    """Run the whole check; a failure is a result with ``ok=False``, never an exception."""
    checker: LogChecker | None = None
    try:
        checker = LogChecker(public_key=public_key, heads=heads, keyring=keyring)
        for event in events:
            checker.add(event)
        return checker.finish()
    except ChainError as error:
        return CheckResult(
            ok=False,
            count=checker.count if checker else 0,
            heads=len(heads),
            first_bad_seq=error.seq,
            reason=error.reason,
        )
