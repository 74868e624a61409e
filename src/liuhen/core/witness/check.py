"""Is the local audit log consistent with a witness's latest head? (R1.1, R23.1)

The witness's head must carry a valid signature by a key of the local key list that was
valid at the head's time, and the local log must extend it: at least as many events, and
an RFC 9162 consistency proof from the witness's size to the current size that holds
with the witness's root. A log cut back to an earlier head fails the first; a log
rewritten (and re-signed with any key) fails the proof or the key.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from liuhen.core import merkle, proofs
from liuhen.core.audit import latest_seq
from liuhen.core.logcheck import KeyRing, signature_problem
from liuhen.core.witness.base import WitnessedHead


@dataclass(frozen=True)
class WitnessCheck:
    ok: bool
    message: str
    witness_size: int | None = None
    local_size: int = 0


def compare(head: WitnessedHead | None, ring: KeyRing, *, url: str) -> WitnessCheck:
    local_size = latest_seq()
    if head is None:
        return WitnessCheck(
            False,
            _("The witness %(url)s holds no signed tree head yet.") % {"url": url},
            local_size=local_size,
        )
    size = head.tree_size
    problem = signature_problem(ring, head.record(f"witness head of size {size}"))
    if problem is not None:
        valid = ring.get(head.key_id)
        if valid is None:
            message = _(
                "The witness's latest head (%(size)d events) is signed by key %(key)s, which "
                "is not in this server's key list: the log's keys were replaced, and the log "
                "was probably re-signed with a new key."
            )
        elif not valid.covers(head.timestamp_ms):
            message = _(
                "The witness's latest head (%(size)d events) is signed by key %(key)s outside "
                "that key's validity period: the key list was changed."
            )
        else:
            message = _(
                "The signature of the witness's latest head (%(size)d events) does not verify "
                "with key %(key)s."
            )
        return WitnessCheck(False, message % {"size": size, "key": head.key_id}, size, local_size)
    if local_size < size:
        return WitnessCheck(
            False,
            _(
                "The local log holds only %(local)d events, but the witness saw a signed head "
                "over %(size)d: the log was cut back (truncated)."
            )
            % {"local": local_size, "size": size},
            size,
            local_size,
        )
    if size == 0:
        consistent = head.root_hash == merkle.EMPTY_ROOT.hex()
    else:
        try:
            proof = proofs.consistency(size, local_size)
        except proofs.ProofError as exc:
            return WitnessCheck(False, str(exc), size, local_size)
        consistent = merkle.verify_consistency(
            size,
            local_size,
            bytes.fromhex(head.root_hash),
            bytes.fromhex(proof["second_root"]),
            [bytes.fromhex(node) for node in proof["proof"]],
        )
    if not consistent:
        return WitnessCheck(
            False,
            _(
                "The local log's first %(size)d events do not have the root the witness saw "
                "(RFC 9162 consistency proof fails): the log was rewritten or re-signed."
            )
            % {"size": size},
            size,
            local_size,
        )
    return WitnessCheck(
        True,
        _(
            "Consistent with the witness %(url)s: its latest head over %(size)d events is a "
            "prefix of the local log (%(local)d events)."
        )
        % {"url": url, "size": size, "local": local_size},
        size,
        local_size,
    )
