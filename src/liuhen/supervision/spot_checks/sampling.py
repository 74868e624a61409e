"""The reproducible random sample (R22.3): pure, no database, no clock.

Anyone holding the seed and the population (the ids, in any order) recomputes the
sample: the ids are sorted, their SHA-256 digest shows the population is the one drawn
from, and ``random.Random(seed).sample`` picks the same ids on any machine and in any
process (Python's Mersenne Twister is specified and stable across versions).
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Iterable


def population_digest(ids: Iterable[int]) -> str:
    """SHA-256 of the sorted ids written as decimal numbers joined by commas."""
    text = ",".join(str(i) for i in sorted(int(i) for i in ids))
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def sample_size(population: int, *, count: int | None = None, percent: int | None = None) -> int:
    """How many to draw: a count, or a percentage rounded up (at least one of a
    population that has any), never more than the population."""
    if population <= 0:
        return 0
    if count is not None:
        return max(0, min(count, population))
    if percent is not None:
        return min(population, max(1, math.ceil(population * percent / 100)))
    return 0


def new_seed() -> int:
    """A fresh seed from the system's randomness (63 bits: fits a signed bigint)."""
    return secrets.randbits(63)


def draw(ids: Iterable[int], seed: int, size: int) -> list[int]:
    """The sample: ``size`` ids of the population chosen with ``seed``, in ascending order."""
    population = sorted(int(i) for i in ids)
    import random

    chosen = random.Random(seed).sample(population, min(size, len(population)))  # noqa: S311
    return sorted(chosen)
