"""Rotating the audit signing key: a command, audited, announced to the witnesses; heads
of the old key and old exports stay verifiable with the key list (R1.1)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from liuhen.core import audit
from liuhen.core.access import AccessDenied
from liuhen.core.actions.audit_keys import rotate_key
from liuhen.core.events import AuditLogEvents
from liuhen.core.logcheck import key_id, tree_head_message
from liuhen.core.models import AuditEvent, Outcome, TreeHead
from liuhen.core.signing_keys import keyring
from liuhen.core.treehead import (
    from_timestamp_ms,
    private_key,
    public_key_pem,
    sign_tree_head,
    timestamp_ms,
)
from tests.core.tamper import tampering

pytestmark = pytest.mark.usefixtures("signing_key_file")

SRC = Path(__file__).resolve().parents[3] / "src"


def _verify_export(*args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(SRC)}  # no Django settings
    return subprocess.run(
        [sys.executable, "-m", "liuhen.verify_export", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def _export(path: Path) -> Path:
    call_command("audit", "export", str(path), stderr=io.StringIO())
    return path


def _rotate() -> dict[str, Any]:
    out = io.StringIO()
    call_command("audit", "rotate-key", stdout=out)
    return dict(json.loads(out.getvalue()))


def _key_list(path: Path) -> Path:
    out = io.StringIO()
    call_command("audit", "public-keys", stdout=out)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_rotating_is_audited_and_announced(
    some_events: list[AuditEvent], witness_dir: Path
) -> None:
    old_id = key_id(private_key().public_key())

    rotated = _rotate()

    assert rotated["old_key_id"] == old_id
    assert rotated["new_key_id"] == key_id(private_key().public_key()) != old_id
    assert rotated["witnesses_failed"] == []
    event = AuditEvent.objects.get(action=AuditLogEvents.ROTATE_KEY)
    assert event.details["old_key_id"] == old_id
    assert event.details["new_key_id"] == rotated["new_key_id"]
    # The old key's last head comes before the rotation, the new key's first after it.
    assert list(TreeHead.objects.order_by("id").values_list("tree_size", "key_id")) == [
        (10, old_id),
        (event.seq, rotated["new_key_id"]),
    ]
    (announced,) = [
        json.loads(path.read_text(encoding="utf-8"))
        for path in (witness_dir / "keys").glob("key-*.json")
    ]
    assert announced["key_id"] == rotated["new_key_id"]
    assert announced["previous_key_id"] == old_id
    heads = sorted((witness_dir / "heads").glob("head-*.json"))
    assert [json.loads(path.read_text())["key_id"] for path in heads] == [
        old_id,
        rotated["new_key_id"],
    ]


def test_the_log_verifies_across_a_rotation(
    some_events: list[AuditEvent], witness_dir: Path
) -> None:
    _rotate()
    audit.record("test.event1", object_type="cases.case", object_id=1)
    sign_tree_head()

    out = io.StringIO()
    call_command("audit", "verify", "--witness", f"file://{witness_dir}", stdout=out)

    assert "audit log intact" in out.getvalue()
    assert "3 signed tree heads" in out.getvalue()
    (old, new) = keyring().keys
    assert old.valid_until_ms == new.valid_from_ms


def test_old_exports_stay_verifiable_with_the_key_list(
    some_events: list[AuditEvent], tmp_path: Path
) -> None:
    sign_tree_head()
    old_export = _export(tmp_path / "before.jsonl")
    old_key = tmp_path / "old-key.pem"
    old_key.write_text(public_key_pem(create=False), encoding="utf-8")

    _rotate()
    keys = _key_list(tmp_path / "keys.json")
    new_export = _export(tmp_path / "after.jsonl")
    new_key = tmp_path / "new-key.pem"
    new_key.write_text(public_key_pem(create=False), encoding="utf-8")

    for export in (old_export, new_export):
        checked = _verify_export("--public-keys", str(keys), str(export))
        assert checked.returncode == 0, checked.stderr
        assert "audit export intact" in checked.stdout
    assert _verify_export("--public-key", str(old_key), str(old_export)).returncode == 0
    # Only the new key pinned: the old export is refused as someone else's.
    refused = _verify_export("--public-key", str(new_key), str(old_export))
    assert refused.returncode == 1
    assert "not the bureau's key" in refused.stderr
    # The new export holds heads of both keys; one key alone cannot vouch for all.
    assert _verify_export("--public-key", str(new_key), str(new_export)).returncode == 1


def test_a_key_list_without_the_old_key_refuses_its_heads(
    some_events: list[AuditEvent], tmp_path: Path
) -> None:
    sign_tree_head()
    _rotate()
    listing = json.loads(_key_list(tmp_path / "keys.json").read_text(encoding="utf-8"))
    listing["keys"] = listing["keys"][1:]
    keys = tmp_path / "forged-keys.json"
    keys.write_text(json.dumps(listing), encoding="utf-8")

    checked = _verify_export("--public-keys", str(keys), str(_export(tmp_path / "e.jsonl")))

    assert checked.returncode == 1
    assert "not one of the bureau's keys" in checked.stderr


def test_a_head_signed_by_a_retired_key_is_refused(some_events: list[AuditEvent]) -> None:
    retired = private_key()
    _rotate()
    head = TreeHead.objects.order_by("-id").first()
    assert head is not None
    # Whoever kept a copy of the retired key signs a head dated after its retirement.
    later = from_timestamp_ms(timestamp_ms(head.timestamp) + 1000)
    message = tree_head_message(head.tree_size, timestamp_ms(later), bytes.fromhex(head.root_hash))
    with tampering() as cursor:
        cursor.execute(
            "UPDATE core_treehead SET timestamp = %s, signature = %s, key_id = %s WHERE id = %s",
            [later, retired.sign(message).hex(), key_id(retired.public_key()), head.pk],
        )

    with pytest.raises(CommandError, match="outside its validity period"):
        call_command("audit", "verify", stdout=io.StringIO())


def test_rotating_needs_the_audit_admin(
    some_events: list[AuditEvent], officer_wang: Any, auditor_chen: Any
) -> None:
    before = key_id(private_key().public_key())
    with pytest.raises(AccessDenied):
        rotate_key(officer_wang)
    assert key_id(private_key().public_key()) == before

    rotated = rotate_key(auditor_chen)

    assert rotated["old_key_id"] == before
    assert AuditEvent.objects.get(action=AuditLogEvents.ROTATE_KEY).actor_id == str(auditor_chen.pk)


def test_a_tampered_log_is_not_rotated(some_events: list[AuditEvent]) -> None:
    sign_tree_head()
    with tampering() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE seq = 10")
    before = key_id(private_key().public_key())

    with pytest.raises(CommandError, match="key not rotated"):
        _rotate()

    assert key_id(private_key().public_key()) == before
    refusal = AuditEvent.objects.get(action=AuditLogEvents.ROTATE_KEY)
    assert refusal.outcome == Outcome.FAILED
