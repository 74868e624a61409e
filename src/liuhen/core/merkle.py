"""RFC 9162 (Certificate Transparency v2) Merkle tree hashing — R1.1.

Standard library only and no Django: ``liuhen.verify_export`` uses this module, so an
outside auditor checks proofs with exactly the code that made them.

The leaf data of audit event ``seq`` is the 32 raw bytes of its SHA-256 event hash
(``bytes.fromhex(event.hash)``), leaf index ``seq - 1``. The event hash already commits
to the canonical encoding of every field and to the previous hash (``core/chain.py``),
so proofs stay small and a verifier that recomputes the event hash from the fields
needs nothing else.

Proofs are described first as lists of leaf ranges ``(start, end)`` whose subtree hashes
form the proof (:func:`inclusion_ranges`, :func:`consistency_ranges`), so a caller that
keeps its leaves in a database streams each range once instead of loading them all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    """RFC 9162 §2.1.1: MTH({d(0)}) = HASH(0x00 || d(0))."""
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 9162 §2.1.1: HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n]))."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two smaller than ``n`` (n > 1)."""
    if n < 2:
        raise ValueError("split_point needs n > 1")
    return 1 << ((n - 1).bit_length() - 1)


class CompactRange:
    """Root of a growing tree in O(log n) memory: a stack of perfect subtree hashes.

    Appending leaves one at a time and asking :meth:`root` at any size gives the same
    MTH as :func:`root` over the whole list, because the stack holds exactly the
    perfect subtrees of the RFC's largest-power-of-two split.
    """

    def __init__(self) -> None:
        self.size = 0
        self._stack: list[tuple[int, bytes]] = []  # (subtree size, hash), left to right

    def append_hash(self, hashed_leaf: bytes) -> None:
        self.size += 1
        size, node = 1, hashed_leaf
        while self._stack and self._stack[-1][0] == size:
            left_size, left = self._stack.pop()
            size, node = left_size + size, node_hash(left, node)
        self._stack.append((size, node))

    def append(self, data: bytes) -> None:
        self.append_hash(leaf_hash(data))

    def root(self) -> bytes:
        if not self._stack:
            return EMPTY_ROOT
        node = self._stack[-1][1]
        for _size, left in reversed(self._stack[:-1]):
            node = node_hash(left, node)
        return node


def root_of_hashes(hashed_leaves: Iterable[bytes]) -> bytes:
    """MTH of leaves given already leaf-hashed, streamed."""
    acc = CompactRange()
    for hashed in hashed_leaves:
        acc.append_hash(hashed)
    return acc.root()


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) of RFC 9162 §2.1.1; the empty tree's root is SHA-256 of nothing."""
    return root_of_hashes(leaf_hash(leaf) for leaf in leaves)


# --- proofs as leaf ranges -----------------------------------------------------------


def inclusion_ranges(index: int, tree_size: int) -> list[tuple[int, int]]:
    """PATH(m, D[n]) of RFC 9162 §2.1.3.1 as leaf ranges, bottom first."""
    if not 0 <= index < tree_size:
        raise ValueError(f"leaf index {index} is not in a tree of size {tree_size}")
    ranges: list[tuple[int, int]] = []
    start, end, m = 0, tree_size, index
    while end - start > 1:
        k = split_point(end - start)
        if m < k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start, m = start + k, m - k
    ranges.reverse()
    return ranges


def consistency_ranges(first: int, second: int) -> list[tuple[int, int]]:
    """PROOF(m, D[n]) of RFC 9162 §2.1.4.1 as leaf ranges; empty when m is 0 or n."""
    if not 0 <= first <= second:
        raise ValueError(f"no consistency proof from size {first} to {second}")
    if first in (0, second):
        return []
    ranges: list[tuple[int, int]] = []
    start, end, m, whole = 0, second, first, True
    # SUBPROOF(m, D[start:end], whole), unrolled; ranges collected top first.
    while True:
        n = end - start
        if m == n:
            if not whole:
                ranges.append((start, end))
            break
        k = split_point(n)
        if m <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start, m, whole = start + k, m - k, False
    ranges.reverse()
    return ranges


def _subtree_root(leaves: Sequence[bytes], span: tuple[int, int]) -> bytes:
    return root(leaves[span[0] : span[1]])


def inclusion_proof(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """The audit path of leaf ``index`` in the tree of all ``leaves``."""
    return [_subtree_root(leaves, span) for span in inclusion_ranges(index, len(leaves))]


def consistency_proof(first: int, leaves: Sequence[bytes]) -> list[bytes]:
    """The proof that the tree of the first ``first`` leaves is a prefix of all ``leaves``."""
    return [_subtree_root(leaves, span) for span in consistency_ranges(first, len(leaves))]


# --- verification, as RFC 9162 §2.1.3.2 and §2.1.4.2 describe it ---------------------


def root_from_inclusion(
    index: int, tree_size: int, hashed_leaf: bytes, path: Sequence[bytes]
) -> bytes | None:
    """The root an inclusion path leads to, or None when the path cannot fit the tree."""
    if index >= tree_size or index < 0:
        return None
    fn, sn = index, tree_size - 1
    r = hashed_leaf
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


def verify_inclusion(
    index: int, tree_size: int, leaf: bytes, path: Sequence[bytes], root_hash: bytes
) -> bool:
    """Does ``path`` prove leaf data ``leaf`` sits at ``index`` of the tree with ``root_hash``?"""
    return root_from_inclusion(index, tree_size, leaf_hash(leaf), path) == root_hash


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Is the tree (first, first_root) a prefix of the tree (second, second_root)?"""
    if not 0 <= first <= second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        # Every tree extends the empty one; its root is fixed.
        return not proof and first_root == EMPTY_ROOT
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_root and sr == second_root and sn == 0
