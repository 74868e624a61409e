"""Resident id numbers at rest: SM4-GCM ciphertext plus a keyed blind index (R18.5).

The key file (``settings.SUBJECT_KEY_FILE``, 16 random bytes, mode 0600) is created on
first use. Two keys are derived from it with HMAC-SM3 so the cipher key and the index
key are never the same bytes:

- the ciphertext ``base64("v1" || nonce(12) || SM4-GCM(ct || tag(16)))`` is stored in a
  text column; GCM authenticates it, so a changed value or a wrong key fails loudly;
- the blind index ``HMAC-SM3(index key, normalised number)`` (hex) lets the database find
  an exact number for duplicate detection and search without holding the number.

Losing the key file loses every stored number: back up ``KEYS_DIR`` with the database.
"""

from __future__ import annotations

import base64
import functools
import hmac
import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_BYTES = 16
NONCE_BYTES = 12
TAG_BYTES = 16
VERSION = b"v1"
# Binds a ciphertext to its purpose: a value copied from another encrypted column fails.
_AAD = b"liuhen.subjects.resident_id"


class UndecryptableIdentifier(Exception):
    """The stored value is damaged or was encrypted with another key."""


@functools.cache
def _keys(path: str) -> tuple[bytes, bytes]:
    master = _read_or_create(Path(path))
    cipher_key = hmac.new(master, b"liuhen subjects sm4 v1", "sm3").digest()[:KEY_BYTES]
    index_key = hmac.new(master, b"liuhen subjects blind index v1", "sm3").digest()
    return cipher_key, index_key


def _read_or_create(path: Path) -> bytes:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first: use theirs
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(os.urandom(KEY_BYTES))
    master = path.read_bytes()
    if len(master) != KEY_BYTES:
        raise ImproperlyConfigured(
            f"LIUHEN_SUBJECT_KEY_FILE {path} must hold exactly {KEY_BYTES} bytes, not {len(master)}"
        )
    return master


def _current_keys() -> tuple[bytes, bytes]:
    return _keys(str(settings.SUBJECT_KEY_FILE))


def encrypt(plaintext: str) -> str:
    cipher_key, _index_key = _current_keys()
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(cipher_key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(_AAD)
    body = encryptor.update(plaintext.encode()) + encryptor.finalize()
    return base64.b64encode(VERSION + nonce + body + encryptor.tag).decode("ascii")


def decrypt(stored: str) -> str:
    try:
        raw = base64.b64decode(stored.encode("ascii"), validate=True)
    except ValueError:
        raise UndecryptableIdentifier("not base64") from None
    if raw[:2] != VERSION or len(raw) < 2 + NONCE_BYTES + TAG_BYTES:
        raise UndecryptableIdentifier("unknown format")
    nonce, body, tag = raw[2 : 2 + NONCE_BYTES], raw[2 + NONCE_BYTES : -TAG_BYTES], raw[-TAG_BYTES:]
    cipher_key, _index_key = _current_keys()
    decryptor = Cipher(algorithms.SM4(cipher_key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(_AAD)
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode()
    except InvalidTag:
        raise UndecryptableIdentifier("wrong key or damaged value") from None


def blind_index(normalized: str) -> str:
    _cipher_key, index_key = _current_keys()
    return hmac.new(index_key, normalized.encode(), "sm3").hexdigest()
