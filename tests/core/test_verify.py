"""``liuhen audit verify`` and the export verifier catch every kind of tampering (R1.1, R23.1).

Each tamper goes straight to the database with the write-once triggers dropped, as an
attacker with database access would, and both checkers must name the first bad event.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import CommandError, call_command

from liuhen.core import audit
from liuhen.core.chain import event_hashes
from liuhen.core.logcheck import key_id, tree_head_message
from liuhen.core.models import AuditEvent
from liuhen.core.treehead import InconsistentLog, sign_tree_head
from liuhen.core.verify import verify_chain
from liuhen.verify_export import check_export
from liuhen.verify_export import main as verify_export_main
from tests.core import tamper

pytestmark = pytest.mark.usefixtures("signing_key_file")


def run_verify() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def assert_caught(seq: int | None, tmp_path: Path, reason: str = "") -> None:
    """Both `audit verify` and the export verifier report the same first bad event."""
    with pytest.raises(CommandError) as caught:
        run_verify()
    message = str(caught.value)
    assert caught.value.returncode == 1
    if seq is not None:
        assert f"at sequence number {seq}:" in message
    assert reason in message
    result = verify_chain()
    assert not result.ok and result.first_bad_seq == seq

    path = tmp_path / "export.jsonl"
    call_command("audit", "export", str(path), stderr=io.StringIO())
    exported = check_export(path)
    assert not exported.ok, exported.summary()
    assert exported.first_bad_seq == seq, exported.summary()
    assert verify_export_main([str(path)]) == 1


def test_an_untouched_log_verifies(some_events: list[AuditEvent]) -> None:
    sign_tree_head()
    audit.record("test.after")
    out = run_verify()
    assert out.startswith("audit log intact: 11 events, 1 signed tree heads")
    assert verify_chain().ok


def test_an_empty_log_verifies(db: None) -> None:
    assert run_verify().startswith("audit log intact: 0 events, 0 signed tree heads")


def test_export_of_an_intact_log_verifies(some_events: list[AuditEvent], tmp_path: Path) -> None:
    sign_tree_head()
    path = tmp_path / "export.jsonl"
    call_command("audit", "export", str(path), stderr=io.StringIO())
    result = check_export(path)
    # The export event itself is in the file, under a head signed just for it.
    assert result.ok and result.count == 11 and result.heads == 2
    assert result.latest_head_size == 11
    assert verify_export_main([str(path)]) == 0


def test_edited_field_is_caught(some_events: list[AuditEvent], tmp_path: Path) -> None:
    tamper.edit(5, "actor_name", "someone else")
    assert_caught(5, tmp_path, "SHA-256 hash does not match")


def test_edited_details_are_caught(some_events: list[AuditEvent], tmp_path: Path) -> None:
    tamper.edit(3, "details", json.dumps({"i": 2, "text": "改过的"}))
    assert_caught(3, tmp_path)


def test_edited_time_is_caught(some_events: list[AuditEvent], tmp_path: Path) -> None:
    event = AuditEvent.objects.get(seq=8)
    tamper.edit(8, "time", event.time.replace(year=2020))
    assert_caught(8, tmp_path)


def test_edited_sm3_alone_is_caught(some_events: list[AuditEvent], tmp_path: Path) -> None:
    tamper.edit(4, "sm3", "0" * 64)
    assert_caught(4, tmp_path, "SM3")


def test_deleted_row_is_caught(some_events: list[AuditEvent], tmp_path: Path) -> None:
    tamper.delete(6)
    assert_caught(6, tmp_path, "event 6 is missing")


def test_inserted_row_at_the_end_is_caught(some_events: list[AuditEvent], tmp_path: Path) -> None:
    last = AuditEvent.objects.get(seq=10)
    with tamper.tampering() as cursor:
        cursor.execute(
            "INSERT INTO core_auditevent (seq, time, actor_type, actor_id, actor_name, action,"
            " object_type, object_id, case_id, ip, user_agent, outcome, details, prev_hash,"
            " hash, sm3) VALUES (11, %s, 'user', '1', 'x', 'case.delete', '', '', NULL, '', '',"
            " 'ok', '{}', %s, %s, %s)",
            [last.time, last.hash, "ab" * 32, "cd" * 32],
        )
    assert_caught(11, tmp_path, "SHA-256")


def _insert_shifting(at: int) -> None:
    """Insert a well-formed event at ``at`` and renumber the later ones, as a forger would."""
    before = AuditEvent.objects.get(seq=at - 1)
    forged = {
        "seq": at,
        "time": audit.format_time(before.time),
        "actor_type": "user",
        "actor_id": "1",
        "actor_name": "forger",
        "action": "case.approve",
        "object_type": "",
        "object_id": "",
        "case_id": None,
        "ip": "",
        "user_agent": "",
        "outcome": "ok",
        "details": {},
        "prev_hash": before.hash,
    }
    sha256, sm3 = event_hashes(forged)
    with tamper.tampering() as cursor:
        for seq in range(10, at - 1, -1):
            cursor.execute("UPDATE core_auditevent SET seq = %s WHERE seq = %s", [seq + 1, seq])
        cursor.execute(
            "INSERT INTO core_auditevent (seq, time, actor_type, actor_id, actor_name, action,"
            " object_type, object_id, case_id, ip, user_agent, outcome, details, prev_hash,"
            " hash, sm3) VALUES (%s, %s, 'user', '1', 'forger', 'case.approve', '', '', NULL,"
            " '', '', 'ok', '{}', %s, %s, %s)",
            [at, before.time, before.hash, sha256, sm3],
        )


def test_inserted_row_in_the_middle_is_caught(
    some_events: list[AuditEvent], tmp_path: Path
) -> None:
    _insert_shifting(5)
    # The forged event 5 is self-consistent; the chain breaks at the event after it.
    assert_caught(6, tmp_path, "previous hash")


def test_swapped_rows_are_caught(some_events: list[AuditEvent], tmp_path: Path) -> None:
    tamper.swap(3, 7)
    assert_caught(3, tmp_path)


def test_truncated_tail_under_a_signed_head_is_caught(
    some_events: list[AuditEvent], tmp_path: Path
) -> None:
    sign_tree_head()
    tamper.delete_from(8)
    assert_caught(8, tmp_path, "events were removed")


def test_rewritten_chain_is_caught_by_the_signed_head(
    some_events: list[AuditEvent], tmp_path: Path
) -> None:
    """A forger who recomputes every later hash passes the chain check, not the heads."""
    sign_tree_head()  # size 10
    audit.record("test.more")
    with tamper.tampering() as cursor:
        prev = AuditEvent.objects.get(seq=3).hash
        for row in AuditEvent.objects.filter(seq__gte=4).order_by("seq"):
            fields = audit.as_chain_dict(row)
            if row.seq == 4:
                fields["actor_name"] = "rewritten"
            fields["prev_hash"] = prev
            sha256, sm3 = event_hashes(fields)
            cursor.execute(
                "UPDATE core_auditevent SET actor_name = %s, prev_hash = %s, hash = %s, sm3 = %s"
                " WHERE seq = %s",
                [fields["actor_name"], prev, sha256, sm3, row.seq],
            )
            prev = sha256
    with pytest.raises(InconsistentLog):
        sign_tree_head()  # a tampered log never gets a fresh signature
    assert_caught(1, tmp_path, "does not match events 1–10")


def test_forged_tree_head_is_caught(some_events: list[AuditEvent], tmp_path: Path) -> None:
    head = sign_tree_head()
    with tamper.tampering() as cursor:
        cursor.execute(
            "INSERT INTO core_treehead (tree_size, timestamp, root_hash, signature, key_id)"
            " VALUES (%s, %s, %s, %s, %s)",
            [5, head.timestamp, "ee" * 32, "00" * 64, head.key_id],
        )
    assert_caught(None, tmp_path, "invalid signature")


def test_tree_head_signed_by_another_key_is_caught(
    some_events: list[AuditEvent], tmp_path: Path
) -> None:
    head = sign_tree_head()
    other = Ed25519PrivateKey.generate()
    ms = 1_800_000_000_000
    signature = other.sign(tree_head_message(10, ms, bytes.fromhex(head.root_hash)))
    with tamper.tampering() as cursor:
        cursor.execute(
            "INSERT INTO core_treehead (tree_size, timestamp, root_hash, signature, key_id)"
            " VALUES (%s, %s, %s, %s, %s)",
            [10, head.timestamp, head.root_hash, signature.hex(), key_id(other.public_key())],
        )
    assert_caught(None, tmp_path, "unknown key")


def test_edited_tree_head_is_caught(some_events: list[AuditEvent], tmp_path: Path) -> None:
    sign_tree_head()
    with tamper.tampering() as cursor:
        cursor.execute("UPDATE core_treehead SET tree_size = 9")
    assert_caught(None, tmp_path, "invalid signature")


def test_missing_signing_key_is_reported(
    some_events: list[AuditEvent], signing_key_file: Path
) -> None:
    sign_tree_head()
    signing_key_file.unlink()
    result = verify_chain()
    assert not result.ok and "no public key" in result.reason


# --- tampering with the exported file itself ---------------------------------------


@pytest.fixture
def export_lines(some_events: list[AuditEvent], tmp_path: Path) -> list[dict[str, Any]]:
    sign_tree_head()
    path = tmp_path / "export.jsonl"
    call_command("audit", "export", str(path), stderr=io.StringIO())
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _write(tmp_path: Path, lines: list[dict[str, Any]]) -> Path:
    path = tmp_path / "tampered.jsonl"
    path.write_text(
        "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8"
    )
    return path


def _event_index(lines: list[dict[str, Any]], seq: int) -> int:
    return next(i for i, line in enumerate(lines) if line["type"] == "event" and line["seq"] == seq)


def _check(tmp_path: Path, lines: list[dict[str, Any]], seq: int | None, reason: str) -> None:
    path = _write(tmp_path, lines)
    result = check_export(path)
    assert not result.ok
    assert result.first_bad_seq == seq, result.summary()
    assert reason in result.reason
    assert verify_export_main([str(path)]) == 1


def test_untouched_export_lines_verify(export_lines: list[dict[str, Any]], tmp_path: Path) -> None:
    assert check_export(_write(tmp_path, export_lines)).ok


def test_export_line_edited(export_lines: list[dict[str, Any]], tmp_path: Path) -> None:
    export_lines[_event_index(export_lines, 4)]["action"] = "case.close"
    _check(tmp_path, export_lines, 4, "SHA-256")


def test_export_line_deleted(export_lines: list[dict[str, Any]], tmp_path: Path) -> None:
    del export_lines[_event_index(export_lines, 6)]
    _check(tmp_path, export_lines, 6, "missing")


def test_export_line_inserted(export_lines: list[dict[str, Any]], tmp_path: Path) -> None:
    index = _event_index(export_lines, 6)
    export_lines.insert(index, dict(export_lines[index]))
    _check(tmp_path, export_lines, 7, "duplicated")


def test_export_lines_swapped(export_lines: list[dict[str, Any]], tmp_path: Path) -> None:
    a, b = _event_index(export_lines, 2), _event_index(export_lines, 9)
    export_lines[a], export_lines[b] = export_lines[b], export_lines[a]
    _check(tmp_path, export_lines, 2, "out of order")


def test_export_tail_cut(export_lines: list[dict[str, Any]], tmp_path: Path) -> None:
    kept = [line for line in export_lines if line["type"] != "event" or line["seq"] <= 7]
    _check(tmp_path, kept, 8, "events were removed")


def test_export_tail_cut_with_header_fixed(
    export_lines: list[dict[str, Any]], tmp_path: Path
) -> None:
    kept = [line for line in export_lines if line["type"] != "event" or line["seq"] <= 7]
    kept[0]["event_count"] = 7
    _check(tmp_path, kept, 8, "events were removed")


def test_export_tree_head_root_changed(export_lines: list[dict[str, Any]], tmp_path: Path) -> None:
    head = next(line for line in export_lines if line["type"] == "tree_head")
    head["root_hash"] = "00" * 32
    _check(tmp_path, export_lines, None, "invalid signature")


def test_export_public_key_replaced(export_lines: list[dict[str, Any]], tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization

    other = Ed25519PrivateKey.generate().public_key()
    key_line = next(line for line in export_lines if line["type"] == "public_key")
    key_line["pem"] = other.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    _check(tmp_path, export_lines, None, "unknown key")


def test_export_garbage_line(export_lines: list[dict[str, Any]], tmp_path: Path) -> None:
    path = _write(tmp_path, export_lines)
    text = path.read_text(encoding="utf-8").splitlines()
    text.insert(5, "this is not json")
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    result = check_export(path)
    assert not result.ok and "line 6" in result.reason
    assert verify_export_main([str(path)]) == 1


def test_not_an_export_is_unusable(tmp_path: Path) -> None:
    path = tmp_path / "other.jsonl"
    path.write_text('{"hello": 1}\n', encoding="utf-8")
    assert verify_export_main([str(path)]) == 2
    assert verify_export_main([str(tmp_path / "missing.jsonl")]) == 2
