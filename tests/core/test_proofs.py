"""Proofs from the database, signing, the key, and the periodic task (R1.1)."""

from __future__ import annotations

import io
import json
import stat
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from liuhen.core import audit, merkle, proofs
from liuhen.core.logcheck import key_id, load_public_key_pem, tree_head_message
from liuhen.core.models import AuditEvent, Outcome, TreeHead
from liuhen.core.tasks import sign_if_new_events
from liuhen.core.treehead import (
    log_root,
    public_key,
    public_key_pem,
    sign_tree_head,
    timestamp_ms,
)

pytestmark = pytest.mark.usefixtures("signing_key_file")


def _leaves() -> list[bytes]:
    return [
        bytes.fromhex(h) for h in AuditEvent.objects.order_by("seq").values_list("hash", flat=True)
    ]


def test_log_root_is_the_merkle_root_of_event_hashes(some_events: list[AuditEvent]) -> None:
    leaves = _leaves()
    for size in range(11):
        assert log_root(size) == merkle.root(leaves[:size])


def test_signed_head_signature_covers_size_time_and_root(
    some_events: list[AuditEvent],
) -> None:
    head = sign_tree_head()
    assert head.tree_size == 10
    assert head.root_hash == merkle.root(_leaves()).hex()
    key = public_key()
    assert head.key_id == key_id(key)
    message = tree_head_message(10, timestamp_ms(head.timestamp), bytes.fromhex(head.root_hash))
    key.verify(bytes.fromhex(head.signature), message)  # raises if wrong
    # RFC 9162 TreeHeadDataV2 layout: timestamp, size, 1-byte length, root, no extensions.
    assert len(message) == 8 + 8 + 1 + 32 + 2
    assert message[8:16] == (10).to_bytes(8, "big")
    # Stored time is exactly the signed one (milliseconds).
    assert TreeHead.objects.get(pk=head.pk).timestamp == head.timestamp


def test_signing_key_is_private_and_stable(db: None, signing_key_file: Path) -> None:
    pem = public_key_pem()
    assert stat.S_IMODE(signing_key_file.stat().st_mode) == 0o600
    assert public_key_pem() == pem
    assert key_id(load_public_key_pem(pem)) == key_id(public_key())
    assert list(signing_key_file.parent.glob(".audit-key-*")) == []


@pytest.mark.parametrize("seq", [1, 4, 7, 10])
def test_inclusion_proof_verifies_against_the_signed_head(
    some_events: list[AuditEvent], seq: int
) -> None:
    head = sign_tree_head()
    audit.record("test.later")  # the proof is against the head, not the growing log
    proof = proofs.inclusion(seq)
    assert proof["tree_size"] == 10 and proof["matches_tree_head"]
    assert proof["tree_head"]["root_hash"] == head.root_hash
    assert merkle.verify_inclusion(
        seq - 1,
        10,
        bytes.fromhex(proof["event_hash"]),
        [bytes.fromhex(node) for node in proof["path"]],
        bytes.fromhex(head.root_hash),
    )
    assert [bytes.fromhex(n) for n in proof["path"]] == merkle.inclusion_proof(
        seq - 1, _leaves()[:10]
    )


def test_inclusion_without_a_head_uses_the_current_log(some_events: list[AuditEvent]) -> None:
    proof = proofs.inclusion(3)
    assert proof["tree_head"] is None and not proof["matches_tree_head"]
    assert proof["tree_size"] == 10 and proof["root_hash"] == merkle.root(_leaves()).hex()
    assert proofs.inclusion(3, tree_size=5)["root_hash"] == merkle.root(_leaves()[:5]).hex()
    for bad in ((0, None), (11, None), (3, 2), (3, 11)):
        with pytest.raises(proofs.ProofError):
            proofs.inclusion(*bad)


def test_consistency_proof_between_two_heads(some_events: list[AuditEvent]) -> None:
    first = sign_tree_head()
    for i in range(7):
        audit.record("test.more", details={"i": i})
    second = sign_tree_head()
    proof = proofs.consistency(first.tree_size, second.tree_size)
    assert proof["first_root"] == first.root_hash
    assert proof["second_root"] == second.root_hash
    assert proof["first_tree_head"]["root_hash"] == first.root_hash
    assert merkle.verify_consistency(
        first.tree_size,
        second.tree_size,
        bytes.fromhex(first.root_hash),
        bytes.fromhex(second.root_hash),
        [bytes.fromhex(node) for node in proof["proof"]],
    )
    with pytest.raises(proofs.ProofError):
        proofs.consistency(5, 4)
    with pytest.raises(proofs.ProofError):
        proofs.consistency(5, 99)
    # RFC 9162 §2.1.4 defines no proof from the empty tree.
    with pytest.raises(proofs.ProofError):
        proofs.consistency(0, 4)


def test_latest_head_includes_the_public_key(some_events: list[AuditEvent]) -> None:
    assert proofs.latest_head() is None
    head = sign_tree_head()
    latest = proofs.latest_head()
    assert latest is not None
    assert latest["tree_size"] == 10 and latest["root_hash"] == head.root_hash
    assert key_id(load_public_key_pem(latest["public_key_pem"])) == head.key_id


def _json_out(*args: str) -> Any:
    out = io.StringIO()
    call_command("audit", *args, stdout=out)
    return json.loads(out.getvalue())


def test_command_sign_prove_consistency(some_events: list[AuditEvent]) -> None:
    head = _json_out("sign")
    assert head["tree_size"] == 10
    # Signing from the shell is recorded after the head it made.
    event = AuditEvent.objects.get(seq=11)
    assert event.action == "audit.sign" and event.details["tree_size"] == 10
    proof = _json_out("prove", "--seq", "4")
    assert proof["tree_size"] == 10 and proof["matches_tree_head"]
    assert _json_out("prove", "--seq", "4", "--size", "6")["tree_size"] == 6
    consistency = _json_out("consistency", "--from", "3", "--to", "11")
    assert consistency["second"] == 11 and consistency["proof"]
    with pytest.raises(CommandError, match="没有第40条事件"):
        call_command("audit", "prove", "--seq", "40", stdout=io.StringIO())
    with pytest.raises(CommandError, match="不存在从9到3的一致性证明"):
        call_command("audit", "consistency", "--from", "9", "--to", "3", stdout=io.StringIO())


def test_command_sign_refuses_a_tampered_log(some_events: list[AuditEvent]) -> None:
    from tests.core import tamper

    sign_tree_head()
    tamper.delete_from(9)
    with pytest.raises(CommandError, match="not signed"):
        call_command("audit", "sign", stdout=io.StringIO())
    refusal = AuditEvent.objects.order_by("-seq").first()
    assert refusal is not None
    assert (refusal.action, refusal.outcome) == ("audit.sign", Outcome.FAILED)


def test_periodic_task_signs_only_when_there_are_new_events(db: None) -> None:
    assert sign_if_new_events.call() is None  # empty log
    audit.record("test.one")
    first = sign_if_new_events.call()
    assert first is not None and first["tree_size"] == 1
    assert sign_if_new_events.call() is None  # nothing new
    assert TreeHead.objects.count() == 1
    audit.record("test.two")
    second = sign_if_new_events.call()
    assert second is not None and second["tree_size"] == 2
    # The task writes no event of its own, so the log stays quiet when nothing happens.
    assert AuditEvent.objects.count() == 2


def test_periodic_task_records_a_refusal(some_events: list[AuditEvent]) -> None:
    from tests.core import tamper

    sign_tree_head()
    tamper.edit(2, "hash", "ff" * 32)
    audit.record("test.new")
    assert sign_if_new_events.call() is None
    last = AuditEvent.objects.order_by("-seq").first()
    assert last is not None and (last.action, last.outcome) == ("audit.sign", Outcome.FAILED)
