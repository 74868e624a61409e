"""The key files an instance cannot do without, and where a restore puts them back.

The audit signing key (new tree heads are signed by it), the SM4 key of stored identity
numbers — which also encrypts the installed seal certificate and its passphrase — and
the rest of ``KEYS_DIR`` (the secret key of sessions, the payment gateway's secret). Each
is named by its role, so a restore writes it where the target's settings expect it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from liuhen.core.blobs import fsync_dir, make_dirs

AUDIT_SIGNING_KEY = "audit-signing-key"
SUBJECT_KEY = "subject-key"
_KEYS_DIR_PREFIX = "keys-dir/"


@dataclass(frozen=True)
class KeyFile:
    role: str  # AUDIT_SIGNING_KEY, SUBJECT_KEY or "keys-dir/<file name>"
    path: Path


def _named_roles() -> dict[str, Path]:
    return {
        AUDIT_SIGNING_KEY: Path(settings.AUDIT_SIGNING_KEY_FILE),
        SUBJECT_KEY: Path(settings.SUBJECT_KEY_FILE),
    }


def present() -> list[KeyFile]:
    """The key files of this instance that exist."""
    named = _named_roles()
    found = [KeyFile(role, path) for role, path in named.items() if path.is_file()]
    taken = {path.resolve() for path in named.values()}
    keys_dir = Path(settings.KEYS_DIR)
    if keys_dir.is_dir():
        for path in sorted(keys_dir.iterdir()):
            if path.is_file() and not path.name.startswith(".") and path.resolve() not in taken:
                found.append(KeyFile(_KEYS_DIR_PREFIX + path.name, path))
    return found


def target_path(role: str) -> Path:
    """Where this instance keeps the key of ``role``."""
    named = _named_roles()
    if role in named:
        return named[role]
    name = role.removeprefix(_KEYS_DIR_PREFIX)
    if not role.startswith(_KEYS_DIR_PREFIX) or not name or "/" in name or name.startswith("."):
        raise ValueError(f"not a key role: {role!r}")
    return Path(settings.KEYS_DIR) / name


def occupied() -> list[Path]:
    """Keys a restore must not replace: those that protect data (the audit signing key
    and the SM4 key). The secret key and the payment secret are made afresh when an
    empty instance starts and are replaced by the backed-up ones."""
    return [path for path in _named_roles().values() if path.is_file()]


def to_restore(keys: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """The keys of a set to write here: a file of the source's keys folder whose place here
    is the place of a named key (the source kept its audit key elsewhere, and its keys
    folder held another file of that name) gives way to the named key, which is the one
    the source signed and encrypted with."""
    named = {target_path(role) for role, _data in keys if not role.startswith(_KEYS_DIR_PREFIX)}
    return [
        (role, data)
        for role, data in keys
        if not role.startswith(_KEYS_DIR_PREFIX) or target_path(role) not in named
    ]


def write_key(role: str, data: bytes) -> Path:
    """Write a restored key with mode 0600, crash-safely."""
    path = target_path(role)
    make_dirs(path.parent)
    temp = path.with_name(f".{path.name}.restoring")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)
    fsync_dir(path.parent)
    return path
