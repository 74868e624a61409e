"""The audit signing keys over time: the key list and rotating the key (R1.1).

The private key is ``settings.AUDIT_SIGNING_KEY_FILE`` (see :mod:`liuhen.core.treehead`).
Beside it, ``audit-keys.json`` (or ``settings.AUDIT_KEYS_FILE``) lists every public key
that ever signed, with its validity period in milliseconds since the epoch — the format
of :class:`liuhen.core.logcheck.KeyRing`, the same file an outside auditor gives
``python -m liuhen.verify_export --public-keys``. Before the first rotation there is no
file: the one key is valid at any time.

A retired private key is destroyed: nobody can sign with it again, and the heads it
signed stay checkable with its public half.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import replace
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.utils import timezone

from liuhen.core.logcheck import KeyRing, ValidKey, key_id
from liuhen.core.treehead import SigningKeyMissing, private_key, public_key, timestamp_ms

KEYS_FILE_NAME = "audit-keys.json"


def keys_file() -> Path:
    configured = getattr(settings, "AUDIT_KEYS_FILE", "")
    if configured:
        return Path(configured)
    return Path(settings.AUDIT_SIGNING_KEY_FILE).with_name(KEYS_FILE_NAME)


def _stored_keys() -> list[ValidKey]:
    path = keys_file()
    if not path.exists():
        return []
    return KeyRing.from_dicts(json.loads(path.read_text(encoding="utf-8"))["keys"]).keys


def keyring() -> KeyRing:
    """Every key that signed, the current one last."""
    keys = _stored_keys()
    try:
        current = public_key(create=False)
    except SigningKeyMissing:
        return KeyRing(keys)
    if key_id(current) not in {valid.key_id for valid in keys}:
        # A key made before any rotation, or one whose listing was cut short by a crash
        # in the middle of rotating: valid from the end of the last listed key.
        since = max((valid.valid_until_ms or 0 for valid in keys), default=0)
        keys.append(ValidKey(current, since))
    return KeyRing(keys)


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
        raise


def rotate_signing_key() -> tuple[ValidKey, ValidKey]:
    """Retire the current key and make a new one; (old, new) with their periods.

    The new private key replaces the old one first, then the list is written: a crash
    in between leaves the new key unlisted, which :func:`keyring` still accepts.
    """
    old_private = private_key()
    ring = keyring()
    old_id = key_id(old_private.public_key())
    now_ms = timestamp_ms(timezone.now())
    new_private = Ed25519PrivateKey.generate()
    new = ValidKey(new_private.public_key(), now_ms)
    keys = [
        replace(valid, valid_until_ms=now_ms) if valid.key_id == old_id else valid
        for valid in ring.keys
    ]
    old = next(valid for valid in keys if valid.key_id == old_id)
    pem = new_private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    _write_atomically(Path(settings.AUDIT_SIGNING_KEY_FILE), pem)
    listing = KeyRing([*keys, new]).as_dict()
    _write_atomically(keys_file(), json.dumps(listing, indent=2).encode())
    return old, new
