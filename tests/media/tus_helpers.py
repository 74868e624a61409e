"""Helpers of the tus upload tests: metadata encoding, tokens, what is in the blob store."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path
from typing import Any

from liuhen.api import actions as api_actions
from liuhen.api.models import ApiToken
from liuhen.api.tokens import new_token, token_hash
from liuhen.core.audit import Actor

API = "/api/v1/uploads/"
TUS = {"Tus-Resumable": "1.0.0"}
OFFSET_TYPE = "application/offset+octet-stream"
MIB = 1024 * 1024


def metadata(**fields: str) -> str:
    """An Upload-Metadata header."""
    return ",".join(
        f"{key} {base64.b64encode(value.encode()).decode()}" for key, value in fields.items()
    )


def person_token(user: Any) -> str:
    return api_actions.create_token(user, user=user, name="tus test").plaintext


def device_token(serial: str) -> str:
    """A token through the real action (only stations and terminals get one)."""
    return api_actions.create_token(
        Actor.system("test"), device_serial=serial, name=f"device {serial}"
    ).plaintext


def raw_device_token(serial: str) -> str:
    """A device token made without the action's checks: one issued before a rule changed,
    or for a device that has since become something it should not be."""
    token, prefix = new_token()
    ApiToken.objects.create(
        device_serial=serial, name=f"device {serial}", prefix=prefix, token_hash=token_hash(token)
    )
    return token


def digests(data: bytes) -> tuple[str, str]:
    return hashlib.sha256(data).hexdigest(), hashlib.new("sm3", data).hexdigest()


def file_digests(path: Path) -> tuple[str, str, int]:
    sha256, sm3, size = hashlib.sha256(), hashlib.new("sm3"), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(MIB):
            sha256.update(chunk)
            sm3.update(chunk)
            size += len(chunk)
    return sha256.hexdigest(), sm3.hexdigest(), size


def random_file(path: Path, size: int) -> Path:
    """Incompressible test data, written in chunks (never all in memory)."""
    with open(path, "wb") as handle:
        remaining = size
        while remaining:
            step = min(remaining, 4 * MIB)
            handle.write(os.urandom(step))
            remaining -= step
    return path


def published_blobs(root: Path) -> list[Path]:
    """Every file under the blob root outside tmp/ (the blobs and their SM3 sidecars)."""
    if not root.exists():
        return []
    return [
        path
        for path in root.rglob("*")
        if path.is_file() and path.relative_to(root).parts[0] != "tmp"
    ]


def assert_no_partial_blob(root: Path) -> None:
    """Every published blob hashes to its name: nothing half-written is ever visible."""
    for path in published_blobs(root):
        if path.suffix == ".sm3":  # written whole before its blob appears
            assert len(path.read_text().strip()) == 64, f"{path} is not a whole SM3"
            continue
        sha256, _sm3, _size = file_digests(path)
        assert sha256 == path.name, f"{path} does not hash to its name"
