"""Signed tree heads over the audit log (R1.1): Ed25519 key and signing.

The key lives in ``settings.AUDIT_SIGNING_KEY_FILE`` (PEM, PKCS#8, mode 0600), made on
first use. What is signed is documented in :mod:`liuhen.core.logcheck`.

Signing is not itself an event inside the head it signs: the head covers the log as it
was, and a user who asks for a head gets an ``audit.sign`` event *after* it (see
``core/actions.py``), which the next head covers. The periodic task writes no event, or
every period would find a "new" event and sign again forever.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from liuhen.core import merkle
from liuhen.core.audit import latest_seq
from liuhen.core.logcheck import HeadRecord, key_id, tree_head_message
from liuhen.core.models import AuditEvent, TreeHead

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class SigningKeyMissing(Exception):
    pass


def _key_path() -> Path:
    return Path(settings.AUDIT_SIGNING_KEY_FILE)


def _create_key(path: Path) -> None:
    """Write a new key so that no reader ever sees half a file and no key is overwritten."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=".audit-key-")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        # Fails if another process made the key first; then that key is the key.
        with contextlib.suppress(FileExistsError):
            os.link(temp_name, path)
    finally:
        os.unlink(temp_name)


def private_key(*, create: bool = True) -> Ed25519PrivateKey:
    path = _key_path()
    if not path.exists():
        if not create:
            raise SigningKeyMissing(f"audit signing key {path} does not exist")
        _create_key(path)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key


def public_key(*, create: bool = True) -> Ed25519PublicKey:
    return private_key(create=create).public_key()


def public_key_pem(*, create: bool = True) -> str:
    return (
        public_key(create=create)
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def timestamp_ms(moment: dt.datetime) -> int:
    return (moment - _EPOCH) // dt.timedelta(milliseconds=1)


def from_timestamp_ms(ms: int) -> dt.datetime:
    return _EPOCH + dt.timedelta(milliseconds=ms)


def log_root(tree_size: int) -> bytes:
    """MTH of the first ``tree_size`` events, streamed (stored hashes are the leaves)."""
    return merkle.root_of_hashes(
        merkle.leaf_hash(bytes.fromhex(value)) for value in leaf_stream(0, tree_size)
    )


def leaf_stream(start: int, end: int) -> Iterator[str]:
    """Event hashes (hex) of leaves ``start``..``end-1``, i.e. seq ``start+1``..``end``."""
    return (
        AuditEvent.objects.filter(seq__gt=start, seq__lte=end)
        .order_by("seq")
        .values_list("hash", flat=True)
        .iterator(chunk_size=2000)
    )


class InconsistentLog(Exception):
    """The log no longer extends the latest signed tree head: it was tampered with."""


def sign_tree_head() -> TreeHead:
    """Sign the log as it is now and store the head (a TreeHead row is write-once).

    Refuses (:class:`InconsistentLog`) when the log is not an extension of the latest
    signed head, so a tampered log never gets a fresh signature (R23.1).
    """
    key = private_key()
    previous = latest_head()
    # Appends are serialised and committed in order, so every seq ≤ latest is visible.
    size = latest_seq()
    acc = merkle.CompactRange()
    previous_root = merkle.EMPTY_ROOT.hex() if previous and previous.tree_size == 0 else None
    for value in leaf_stream(0, size):
        acc.append(bytes.fromhex(value))
        if previous is not None and acc.size == previous.tree_size:
            previous_root = acc.root().hex()
    if acc.size != size:
        raise InconsistentLog(f"the log has {acc.size} events up to sequence number {size}")
    if previous is not None and previous_root != previous.root_hash:
        raise InconsistentLog(
            f"the log does not extend the signed tree head of size {previous.tree_size}"
        )
    root = acc.root()
    # Millisecond precision, so the stored time is exactly the one signed.
    now = from_timestamp_ms(timestamp_ms(timezone.now()))
    signature = key.sign(tree_head_message(size, timestamp_ms(now), root))
    with transaction.atomic():
        return TreeHead.objects.create(
            tree_size=size,
            timestamp=now,
            root_hash=root.hex(),
            signature=signature.hex(),
            key_id=key_id(key.public_key()),
        )


def latest_head() -> TreeHead | None:
    return TreeHead.objects.order_by("-tree_size", "-id").first()


def as_record(head: TreeHead) -> HeadRecord:
    return HeadRecord(
        tree_size=head.tree_size,
        timestamp_ms=timestamp_ms(head.timestamp),
        root_hash=head.root_hash,
        signature=head.signature,
        key_id=head.key_id,
        label=f"signed tree head #{head.pk} (size {head.tree_size})",
    )


def as_dict(head: TreeHead) -> dict[str, object]:
    return {
        "tree_size": head.tree_size,
        "timestamp": timestamp_ms(head.timestamp),
        "root_hash": head.root_hash,
        "signature": head.signature,
        "key_id": head.key_id,
    }
