"""What an export cannot vouch for itself: its signer and its unsigned tail (R1.1, R23.1).

A forger who can rewrite the file can also drop the last signed head and re-chain the
events after the one before it, or re-sign every head with a key of their own. The
verifier refuses events no head covers unless told how many to accept, and checks the
signatures against the bureau's key the auditor brings, not the key the file carries.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command

from liuhen.core import merkle
from liuhen.core.chain import event_hashes
from liuhen.core.logcheck import key_id, tree_head_message
from liuhen.core.models import AuditEvent
from liuhen.core.treehead import public_key, public_key_pem, sign_tree_head
from liuhen.verify_export import main as verify_export_main

pytestmark = pytest.mark.usefixtures("signing_key_file")


@pytest.fixture
def lines(some_events: list[AuditEvent], tmp_path: Path) -> list[dict[str, Any]]:
    """An intact export: 10 events under one head, the export event 11 under a second."""
    sign_tree_head()
    path = tmp_path / "export.jsonl"
    call_command("audit", "export", str(path), stderr=io.StringIO())
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def bureau_key(lines: list[dict[str, Any]], tmp_path: Path) -> Path:
    path = tmp_path / "bureau-key.pem"
    path.write_text(public_key_pem(create=False), encoding="utf-8")
    return path


def _write(tmp_path: Path, lines: list[dict[str, Any]]) -> Path:
    path = tmp_path / "tampered.jsonl"
    path.write_text(
        "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8"
    )
    return path


def _verify(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = verify_export_main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _rechain(lines: list[dict[str, Any]], start: int) -> None:
    """Recompute hash and SM3 from event ``start`` on, each linked to the one before."""
    events = [line for line in lines if line["type"] == "event"]
    for before, event in zip(events[start - 2 :], events[start - 1 :], strict=False):
        event["prev_hash"] = before["hash"]
        event["hash"], event["sm3"] = event_hashes(event)


def _resign(lines: list[dict[str, Any]]) -> None:
    """Re-sign every head with a new key and put that key in the file."""
    forger = Ed25519PrivateKey.generate()
    forged_id = key_id(forger.public_key())
    for line in lines:
        if line["type"] == "public_key":
            line["key_id"] = forged_id
            line["pem"] = (
                forger.public_key()
                .public_bytes(
                    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
                )
                .decode()
            )
        elif line["type"] == "tree_head":
            message = tree_head_message(
                line["tree_size"], line["timestamp"], bytes.fromhex(line["root_hash"])
            )
            line["signature"] = forger.sign(message).hex()
            line["key_id"] = forged_id


def _forge(lines: list[dict[str, Any]]) -> None:
    """Rewrite event 3, re-chain, recompute every head's root and re-sign it: a forgery
    only the bureau's key, brought from outside the file, can tell apart."""
    event = next(line for line in lines if line["type"] == "event" and line["seq"] == 3)
    event["actor_name"] = "someone else"
    _rechain(lines, 3)
    leaves = [
        merkle.leaf_hash(bytes.fromhex(line["hash"])) for line in lines if line["type"] == "event"
    ]
    for line in lines:
        if line["type"] == "tree_head":
            line["root_hash"] = merkle.root_of_hashes(leaves[: line["tree_size"]]).hex()
    _resign(lines)


def _drop_last_head_and_rewrite_tail(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    last = max(line["tree_size"] for line in lines if line["type"] == "tree_head")
    kept = [line for line in lines if line["type"] != "tree_head" or line["tree_size"] < last]
    kept[0]["tree_head_count"] -= 1
    export_event = next(line for line in kept if line["type"] == "event" and line["seq"] == 11)
    export_event["actor_name"] = "someone else"
    _rechain(kept, 11)
    return kept


def test_pinned_key_accepts_the_bureaus_own_export(
    lines: list[dict[str, Any]], bureau_key: Path, tmp_path: Path, capsys: Any
) -> None:
    path = _write(tmp_path, lines)
    code, out, err = _verify(capsys, "--public-key", str(bureau_key), str(path))
    assert code == 0, err
    assert "audit export intact: 11 events, 2 signed tree heads" in out
    assert err == ""
    code, _out, err = _verify(capsys, "--key-id", key_id(public_key(create=False)), str(path))
    assert code == 0, err
    assert err == ""


def test_rewritten_unsigned_tail_fails_and_says_how_many(
    lines: list[dict[str, Any]], bureau_key: Path, tmp_path: Path, capsys: Any
) -> None:
    path = _write(tmp_path, _drop_last_head_and_rewrite_tail(lines))
    code, _out, err = _verify(capsys, "--public-key", str(bureau_key), str(path))
    assert code == 1
    assert "NOT intact at sequence number 11" in err
    assert "the last event is not covered by a signed tree head" in err
    assert "--allow-unsigned-tail 1" in err

    # The auditor who accepts the unsigned event gets a pass that says so.
    code, out, err = _verify(
        capsys, "--public-key", str(bureau_key), "--allow-unsigned-tail", "1", str(path)
    )
    assert code == 0, err
    assert "1 unsigned at the end" in out


def test_unsigned_tail_counts_every_event_after_the_last_head(
    lines: list[dict[str, Any]], bureau_key: Path, tmp_path: Path, capsys: Any
) -> None:
    kept = [line for line in lines if line["type"] != "tree_head" or line["tree_size"] < 10]
    kept[0]["tree_head_count"] = 0
    path = _write(tmp_path, kept)
    code, _out, err = _verify(
        capsys, "--public-key", str(bureau_key), "--allow-unsigned-tail", "10", str(path)
    )
    assert code == 1
    assert "the last 11 events are not covered" in err and "(sequence numbers 1–11)" in err


def test_header_head_count_is_compared(
    lines: list[dict[str, Any]], bureau_key: Path, tmp_path: Path, capsys: Any
) -> None:
    last = max(line["tree_size"] for line in lines if line["type"] == "tree_head")
    kept = [line for line in lines if line["type"] != "tree_head" or line["tree_size"] < last]
    path = _write(tmp_path, kept)
    code, _out, err = _verify(
        capsys, "--public-key", str(bureau_key), "--allow-unsigned-tail", "1", str(path)
    )
    assert code == 1
    assert "the header declares 2 signed tree heads but the export holds 1" in err


def test_export_resigned_with_another_key_fails_against_the_pinned_key(
    lines: list[dict[str, Any]], bureau_key: Path, tmp_path: Path, capsys: Any
) -> None:
    _forge(lines)
    path = _write(tmp_path, lines)

    code, _out, err = _verify(capsys, "--public-key", str(bureau_key), str(path))
    assert code == 1
    assert "not the bureau's key" in err
    code, _out, err = _verify(capsys, "--key-id", key_id(public_key(create=False)), str(path))
    assert code == 1
    assert "not the bureau's key" in err


def test_without_a_pin_the_verifier_warns(
    lines: list[dict[str, Any]], tmp_path: Path, capsys: Any
) -> None:
    _forge(lines)
    code, _out, err = _verify(capsys, str(_write(tmp_path, lines)))
    assert code == 0
    assert "warning: signatures were checked against the public key inside the export" in err
    assert "--public-key" in err and "--key-id" in err


def test_pin_arguments_are_checked(lines: list[dict[str, Any]], tmp_path: Path) -> None:
    path = _write(tmp_path, lines)
    not_a_key = tmp_path / "not-a-key.pem"
    not_a_key.write_text("hello", encoding="utf-8")
    assert verify_export_main(["--public-key", str(not_a_key), str(path)]) == 2
    assert verify_export_main(["--public-key", str(tmp_path / "missing.pem"), str(path)]) == 2
    with pytest.raises(SystemExit) as exited:
        verify_export_main(["--key-id", "abc", str(path)])
    assert exited.value.code == 2


def test_public_key_command_prints_the_key_to_pin(
    lines: list[dict[str, Any]], tmp_path: Path, capsys: Any
) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command("audit", "public-key", stdout=out, stderr=err)
    pem = tmp_path / "handed-over.pem"
    pem.write_text(out.getvalue(), encoding="utf-8")
    assert f"key id {key_id(public_key(create=False))}" in err.getvalue()
    code, _out, err_text = _verify(capsys, "--public-key", str(pem), str(_write(tmp_path, lines)))
    assert code == 0 and err_text == ""


def test_public_key_command_before_anything_was_signed(db: None) -> None:
    from django.core.management import CommandError

    with pytest.raises(CommandError) as failed:
        call_command("audit", "public-key", stdout=io.StringIO())
    assert failed.value.returncode == 2
