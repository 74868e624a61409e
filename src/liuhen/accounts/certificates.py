"""Which officers hold an enforcement certificate 执法证 valid on a day (R4.2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable

    from liuhen.accounts.models import Certificate, User


def valid_certificate(officer: User, day: dt.date) -> Certificate | None:
    """The officer's certificate valid on ``day`` (the latest-running one), if any."""
    found = [c for c in officer.certificates.all() if c.is_valid_on(day)]
    return max(found, key=lambda c: (c.valid_to, c.pk)) if found else None


def certified_officers(officers: Iterable[User], day: dt.date) -> tuple[list[User], list[User]]:
    """Split ``officers`` into those with a certificate valid on ``day`` and the others."""
    with_cert: list[User] = []
    without: list[User] = []
    for officer in officers:
        (with_cert if valid_certificate(officer, day) else without).append(officer)
    return with_cert, without
