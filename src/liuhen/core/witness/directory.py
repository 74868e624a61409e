"""A directory witness (``file:///path``): one file per head, never overwritten.

Meant for a directory of another host (an NFS or SMB share the server may write but whose
owner keeps it append-only, e.g. ``chattr +a`` or a write-once share). Files appear whole:
written under a temporary name, then linked to their final name, which fails if that
name exists.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from liuhen.core.witness.base import WitnessedHead, WitnessError, encode, key_name

HEADS = "heads"
KEYS = "keys"


class DirectoryWitness:
    def __init__(self, root: str | Path, url: str = "") -> None:
        self.root = Path(root)
        self.url = url or f"file://{self.root}"

    def _keep(self, folder: str, name: str, data: bytes) -> None:
        target = self.root / folder / name
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                if target.read_bytes() == data:
                    return  # announced before (a retry)
                raise WitnessError(f"{target} exists with other contents")
            fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.chmod(temp_name, 0o444)
                os.link(temp_name, target)  # fails rather than overwrite
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temp_name)
        except OSError as exc:
            raise WitnessError(f"{self.url}: {exc}") from None

    def announce(self, head: WitnessedHead) -> None:
        self._keep(HEADS, head.name, encode(head.as_dict()))

    def announce_key(self, announcement: dict[str, Any]) -> None:
        self._keep(KEYS, key_name(announcement), encode(announcement))

    def latest(self) -> WitnessedHead | None:
        folder = self.root / HEADS
        try:
            names = sorted(
                entry.name
                for entry in folder.iterdir()
                if entry.name.startswith("head-") and entry.name.endswith(".json")
            )
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise WitnessError(f"{self.url}: {exc}") from None
        if not names:
            return None
        try:
            data = json.loads((folder / names[-1]).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise WitnessError(f"{folder / names[-1]}: {exc}") from None
        return WitnessedHead.from_dict(data)
