"""The reverse proxies the servers trust to say who the client is (``TRUSTED_PROXIES``)."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    try:
        return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)
    except ValueError as error:
        raise ImproperlyConfigured(f"LIUHEN_TRUSTED_PROXIES: {error}") from None


def is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def trusted(address: str) -> bool:
    """Whether ``address`` is one of the trusted proxies."""
    entries = tuple(getattr(settings, "TRUSTED_PROXIES", ()))
    if not entries or not is_address(address):
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in _networks(entries))
