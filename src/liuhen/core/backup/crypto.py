"""The encrypted file format of backup sets: AES-256-GCM in chunks.

A file is ``MAGIC``, an 8-byte random nonce prefix, then chunks, each a 4-byte length and
the ciphertext with its tag. Chunk ``i`` uses the nonce prefix + ``i`` and authenticates
the file's context (what the file is: ``database``, ``blob:<sha256>`` …), ``i`` and
whether it is the last chunk — so a chunk moved, dropped, cut off at the end or a file
put in another file's place fails to decrypt.

The key comes from a passphrase (scrypt, with the backup folder's salt) or from a key
file (HKDF-SHA256 of its bytes); ``key_check`` lets a wrong passphrase be told apart from
a damaged backup.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"LIUHEN-BACKUP-1\n"
CHUNK_SIZE = 4 * 1024 * 1024
KEY_BYTES = 32
SALT_BYTES = 16
# scrypt at 2**15 takes 32 MiB and about 0.1 s: cheap once per run, costly per guess.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
_TAG_BYTES = 16
_KEY_CHECK_MESSAGE = b"liuhen backup key check"


class Damaged(Exception):
    """A file of the set does not decrypt: changed, cut short, or put in another's place."""


@dataclass(frozen=True)
class Secret:
    """What the backup key is made from: a passphrase or a key file (one of them)."""

    passphrase: str | None = None
    key_file: Path | None = None

    @property
    def kind(self) -> str:
        return "key-file" if self.key_file is not None else "scrypt"


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


def derive_key(secret: Secret, salt: bytes) -> bytes:
    if secret.key_file is not None:
        material = Path(secret.key_file).read_bytes()
        return HKDF(
            algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=b"liuhen backup"
        ).derive(material)
    if not secret.passphrase:
        raise ValueError("a passphrase or a key file is needed")
    kdf = Scrypt(salt=salt, length=KEY_BYTES, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return kdf.derive(secret.passphrase.encode("utf-8"))


def key_check(key: bytes) -> str:
    return hmac.new(key, _KEY_CHECK_MESSAGE, hashlib.sha256).hexdigest()


def _aad(context: str, index: int, last: bool) -> bytes:
    return context.encode("utf-8") + b"\0" + index.to_bytes(8, "big") + (b"\1" if last else b"\0")


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + index.to_bytes(4, "big")


def _read_full(stream: IO[bytes], size: int) -> bytes:
    parts = []
    remaining = size
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            break
        parts.append(chunk)
        remaining -= len(chunk)
    return b"".join(parts)


def encrypt_stream(
    key: bytes, context: str, source: IO[bytes], target: IO[bytes]
) -> tuple[str, int]:
    """Encrypt ``source`` into ``target``; return the plaintext's SHA-256 and size."""
    aead = AESGCM(key)
    prefix = os.urandom(8)
    target.write(MAGIC + prefix)
    digest = hashlib.sha256()
    size = 0
    index = 0
    chunk = _read_full(source, CHUNK_SIZE)
    while True:
        following = _read_full(source, CHUNK_SIZE) if len(chunk) == CHUNK_SIZE else b""
        last = not following
        digest.update(chunk)
        size += len(chunk)
        sealed = aead.encrypt(_nonce(prefix, index), chunk, _aad(context, index, last))
        target.write(len(sealed).to_bytes(4, "big"))
        target.write(sealed)
        if last:
            return digest.hexdigest(), size
        chunk = following
        index += 1


def decrypt_stream(
    key: bytes, context: str, source: IO[bytes], target: IO[bytes] | None
) -> tuple[str, int]:
    """Decrypt ``source`` (into ``target``, or only to check it); return the plaintext's
    SHA-256 and size. Raises :class:`Damaged` when any chunk fails to authenticate."""
    aead = AESGCM(key)
    head = _read_full(source, len(MAGIC) + 8)
    if head[: len(MAGIC)] != MAGIC or len(head) != len(MAGIC) + 8:
        raise Damaged(f"{context}: not a backup file")
    prefix = head[len(MAGIC) :]
    digest = hashlib.sha256()
    size = 0
    index = 0
    length = _read_full(source, 4)
    while True:
        if len(length) != 4:
            raise Damaged(f"{context}: cut short")
        sealed = _read_full(source, int.from_bytes(length, "big"))
        following = _read_full(source, 4)
        last = not following
        if len(sealed) < _TAG_BYTES:
            raise Damaged(f"{context}: cut short")
        try:
            chunk = aead.decrypt(_nonce(prefix, index), sealed, _aad(context, index, last))
        except InvalidTag:
            raise Damaged(f"{context}: chunk {index} does not authenticate") from None
        digest.update(chunk)
        size += len(chunk)
        if target is not None:
            target.write(chunk)
        if last:
            return digest.hexdigest(), size
        length = following
        index += 1


def seal_bytes(key: bytes, context: str, data: bytes) -> bytes:
    """A small document (the manifest) encrypted and authenticated in one piece."""
    nonce = os.urandom(12)
    return MAGIC + nonce + AESGCM(key).encrypt(nonce, data, context.encode("utf-8"))


def open_bytes(key: bytes, context: str, sealed: bytes) -> bytes:
    start = len(MAGIC)
    if sealed[:start] != MAGIC:
        raise Damaged(f"{context}: not a backup file")
    try:
        return AESGCM(key).decrypt(
            sealed[start : start + 12], sealed[start + 12 :], context.encode("utf-8")
        )
    except InvalidTag:
        raise Damaged(f"{context}: does not authenticate") from None
