"""Making, hashing and finding API tokens.

A token looks like ``lh_<prefix>_<secret>``: ``prefix`` is 8 hex characters shown in lists,
``secret`` 32 random bytes. Only the SHA-256 of the whole token is stored.

Why SHA-256 and not argon2: argon2 is for passwords, which are guessable and need a slow
hash. A token carries 256 random bits; no amount of guessing finds it, so a fast hash is
as safe and lets every request find its token by an indexed lookup on the hash.
Why no constant-time comparison: the database compares hashes, not tokens. Timing could at
most reveal how much of a *hash* matched, and an attacker cannot steer a hash, so nothing
about the secret leaks.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from liuhen.api.models import ApiToken
from liuhen.devices.models import Device
from liuhen.devices.tokens import normal_serial

TOKEN_RE = re.compile(r"^lh_(?P<prefix>[0-9a-f]{8})_(?P<secret>[A-Za-z0-9_-]{20,100})$")


def new_token() -> tuple[str, str]:
    """A fresh ``(token, prefix)``."""
    prefix = secrets.token_hex(4)
    return f"lh_{prefix}_{secrets.token_urlsafe(32)}", prefix


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def parse_prefix(token: str) -> str | None:
    """The prefix of a well-formed token, else None (used to name a bad token in the log)."""
    match = TOKEN_RE.match(token)
    return match["prefix"] if match else None


def device_for_token(token: ApiToken) -> Device | None:
    """The enrolled device a device token acts for; None for a person's token or a
    serial no longer in the registry.

    A retired device is still returned: callers ask ``device.can_upload`` so the refusal is
    audited against the device (``media.actions.require_uploader``).
    """
    if not token.device_serial:
        return None
    return Device.objects.filter(serial=normal_serial(token.device_serial)).first()
