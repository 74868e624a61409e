"""What a witness holds and the protocol every backend follows."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol

from liuhen.core.logcheck import HeadRecord, ValidKey

FORMAT = "liuhen-witness"


class WitnessError(Exception):
    """A witness could not be reached, refused, or holds something unreadable."""


class NotQueryable(WitnessError):
    """The witness only receives (e-mail): it cannot be asked for its latest head."""


@dataclass(frozen=True)
class WitnessedHead:
    """A signed tree head as announced: the fields the signature covers and its key id."""

    tree_size: int
    timestamp_ms: int
    root_hash: str
    signature: str
    key_id: str

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WitnessedHead:
        try:
            return cls(
                tree_size=int(data["tree_size"]),
                timestamp_ms=int(data["timestamp"]),
                root_hash=str(data["root_hash"]),
                signature=str(data["signature"]),
                key_id=str(data["key_id"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise WitnessError(f"not a signed tree head: {exc}") from None

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "type": "tree_head",
            "tree_size": self.tree_size,
            "timestamp": self.timestamp_ms,
            "root_hash": self.root_hash,
            "signature": self.signature,
            "key_id": self.key_id,
        }

    def record(self, label: str) -> HeadRecord:
        return HeadRecord(
            tree_size=self.tree_size,
            timestamp_ms=self.timestamp_ms,
            root_hash=self.root_hash,
            signature=self.signature,
            key_id=self.key_id,
            label=label,
        )

    @property
    def name(self) -> str:
        """Sorts by tree size, then time: the last name is the latest head."""
        return f"head-{self.tree_size:020d}-{self.timestamp_ms:015d}.json"


def key_announcement(new: ValidKey, previous_key_id: str | None) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "type": "public_key",
        **new.as_dict(),
        "previous_key_id": previous_key_id,
    }


def key_name(announcement: dict[str, Any]) -> str:
    return f"key-{int(announcement['valid_from']):015d}-{announcement['key_id']}.json"


def encode(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()


class Witness(Protocol):
    url: str

    def announce(self, head: WitnessedHead) -> None:
        """Keep ``head``; never overwrite or remove what was kept before."""

    def announce_key(self, announcement: dict[str, Any]) -> None:
        """Keep the announcement of a new signing key."""

    def latest(self) -> WitnessedHead | None:
        """The head of the largest tree this witness holds; None when it holds none."""
