"""RFC 9162 / RFC 6962 Merkle hashing against published vectors and a naive model (R1.1)."""

from __future__ import annotations

import hashlib

import pytest

from liuhen.core import merkle

pytestmark = pytest.mark.usefixtures("signing_key_file")

# The certificate-transparency test suites' eight leaves and the roots of sizes 0..8.
CT_LEAVES = [
    bytes.fromhex(h)
    for h in (
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]  # fmt: skip
CT_ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
# (leaf index, tree size, path)
CT_INCLUSION = [
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]  # fmt: skip
# (first, second, proof)
CT_CONSISTENCY = [
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]  # fmt: skip


def _sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def naive_root(leaves: list[bytes]) -> bytes:
    """MTH written straight from RFC 9162 §2.1.1, recursively — the independent model."""
    n = len(leaves)
    if n == 0:
        return _sha(b"")
    if n == 1:
        return _sha(b"\x00" + leaves[0])
    k = 1
    while k * 2 < n:
        k *= 2
    return _sha(b"\x01" + naive_root(leaves[:k]) + naive_root(leaves[k:]))


def naive_path(m: int, leaves: list[bytes]) -> list[bytes]:
    n = len(leaves)
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if m < k:
        return [*naive_path(m, leaves[:k]), naive_root(leaves[k:])]
    return [*naive_path(m - k, leaves[k:]), naive_root(leaves[:k])]


def naive_subproof(m: int, leaves: list[bytes], whole: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if whole else [naive_root(leaves)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return [*naive_subproof(m, leaves[:k], whole), naive_root(leaves[k:])]
    return [*naive_subproof(m - k, leaves[k:], False), naive_root(leaves[:k])]


def leaves_of(n: int) -> list[bytes]:
    return [f"leaf {i}".encode() for i in range(n)]


def test_empty_root_is_sha256_of_nothing() -> None:
    assert merkle.root([]).hex() == CT_ROOTS[0]
    assert merkle.CompactRange().root().hex() == CT_ROOTS[0]


@pytest.mark.parametrize("size", range(9))
def test_roots_match_certificate_transparency_vectors(size: int) -> None:
    assert merkle.root(CT_LEAVES[:size]).hex() == CT_ROOTS[size]


@pytest.mark.parametrize(("index", "size", "path"), CT_INCLUSION)
def test_inclusion_proofs_match_vectors(index: int, size: int, path: list[str]) -> None:
    proof = merkle.inclusion_proof(index, CT_LEAVES[:size])
    assert [node.hex() for node in proof] == path
    root = bytes.fromhex(CT_ROOTS[size])
    assert merkle.verify_inclusion(index, size, CT_LEAVES[index], proof, root)


@pytest.mark.parametrize(("first", "second", "proof"), CT_CONSISTENCY)
def test_consistency_proofs_match_vectors(first: int, second: int, proof: list[str]) -> None:
    made = merkle.consistency_proof(first, CT_LEAVES[:second])
    assert [node.hex() for node in made] == proof
    assert merkle.verify_consistency(
        first,
        second,
        bytes.fromhex(CT_ROOTS[first]),
        bytes.fromhex(CT_ROOTS[second]),
        made,
    )


def test_every_size_and_leaf_against_the_naive_model() -> None:
    for n in range(1, 70):
        leaves = leaves_of(n)
        root = merkle.root(leaves)
        assert root == naive_root(leaves)
        for m in range(n):
            path = merkle.inclusion_proof(m, leaves)
            assert path == naive_path(m, leaves)
            assert merkle.verify_inclusion(m, n, leaves[m], path, root)
            # Wrong leaf, wrong index, a flipped bit, a missing node: all refused.
            assert not merkle.verify_inclusion(m, n, b"forged", path, root)
            if n > 1:
                assert not merkle.verify_inclusion((m + 1) % n, n, leaves[m], path, root)
            if path:
                flipped = [bytes([path[0][0] ^ 1]) + path[0][1:], *path[1:]]
                assert not merkle.verify_inclusion(m, n, leaves[m], flipped, root)
                assert not merkle.verify_inclusion(m, n, leaves[m], path[:-1], root)
            assert not merkle.verify_inclusion(m, n, leaves[m], [*path, root], root)


def test_consistency_for_every_pair_against_the_naive_model() -> None:
    leaves = leaves_of(40)
    roots = [naive_root(leaves[:n]) for n in range(41)]
    for second in range(1, 41):
        for first in range(1, second):
            proof = merkle.consistency_proof(first, leaves[:second])
            assert proof == naive_subproof(first, leaves[:second], True)
            assert merkle.verify_consistency(first, second, roots[first], roots[second], proof)
            assert not merkle.verify_consistency(
                first, second, roots[first], roots[second], proof[:-1]
            )
            assert not merkle.verify_consistency(first, second, roots[second], roots[first], proof)
            if first > 1:
                assert not merkle.verify_consistency(
                    first - 1, second, roots[first], roots[second], proof
                )


def test_consistency_edge_cases() -> None:
    root = merkle.root(leaves_of(3))
    assert merkle.consistency_proof(3, leaves_of(3)) == []
    assert merkle.verify_consistency(3, 3, root, root, [])
    assert not merkle.verify_consistency(3, 3, root, merkle.EMPTY_ROOT, [])
    assert not merkle.verify_consistency(3, 3, root, root, [root])
    assert merkle.verify_consistency(0, 3, merkle.EMPTY_ROOT, root, [])
    assert not merkle.verify_consistency(2, 1, root, root, [])
    assert not merkle.verify_consistency(1, 3, root, root, [])
    with pytest.raises(ValueError):
        merkle.consistency_ranges(4, 3)
    with pytest.raises(ValueError):
        merkle.inclusion_ranges(3, 3)


def test_compact_range_gives_the_root_at_every_size() -> None:
    leaves = leaves_of(300)
    acc = merkle.CompactRange()
    for n, leaf in enumerate(leaves, start=1):
        acc.append(leaf)
        if n < 70 or n % 37 == 0:
            assert acc.root() == naive_root(leaves[:n])
    # Memory stays logarithmic: one stack entry per set bit of the size.
    assert len(acc._stack) == bin(300).count("1")
