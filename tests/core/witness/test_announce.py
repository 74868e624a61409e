"""Each signed tree head goes to every witness; a failing witness never blocks signing
(R1.1, R23.1)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from liuhen.core import audit
from liuhen.core.actions import audit_log
from liuhen.core.events import AuditLogEvents
from liuhen.core.models import AuditEvent, Outcome
from liuhen.core.treehead import timestamp_ms
from liuhen.core.witness.base import NotQueryable, WitnessedHead, WitnessError
from liuhen.core.witness.directory import DirectoryWitness
from liuhen.core.witness.urls import open_witness

pytestmark = pytest.mark.usefixtures("signing_key_file")


def _heads_in(folder: Path) -> list[dict[str, Any]]:
    return [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((folder / "heads").glob("head-*.json"))
    ]


def test_signing_announces_the_head_to_the_witness(
    some_events: list[AuditEvent], witness_dir: Path
) -> None:
    head = audit_log.sign_now(audit.SYSTEM)

    latest = DirectoryWitness(witness_dir).latest()
    assert latest == WitnessedHead(
        tree_size=10,
        timestamp_ms=timestamp_ms(head.timestamp),
        root_hash=head.root_hash,
        signature=head.signature,
        key_id=head.key_id,
    )


def test_periodic_signing_and_export_announce_too(
    some_events: list[AuditEvent], witness_dir: Path, tmp_path: Path
) -> None:
    audit_log.sign_if_new_events(audit.SYSTEM)
    call_command("audit", "export", str(tmp_path / "export.jsonl"), stderr=io.StringIO())

    assert [head["tree_size"] for head in _heads_in(witness_dir)] == [10, 11]
    assert DirectoryWitness(witness_dir).latest().tree_size == 11  # type: ignore[union-attr]


def test_a_witness_that_fails_is_recorded_and_the_head_still_signed(
    some_events: list[AuditEvent], settings: Any, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x", encoding="utf-8")
    settings.AUDIT_WITNESS_URLS = [f"file://{blocker}/witness", "ftp://nowhere"]

    head = audit_log.sign_now(audit.SYSTEM)

    assert head.tree_size == 10
    failures = AuditEvent.objects.filter(action=AuditLogEvents.WITNESS, outcome=Outcome.FAILED)
    assert sorted(event.details["witness"] for event in failures) == [
        f"file://{blocker}/witness",
        "ftp://nowhere",
    ]


def test_directory_witness_never_overwrites_a_head(tmp_path: Path) -> None:
    witness = DirectoryWitness(tmp_path / "w")
    head = WitnessedHead(3, 1000, "a" * 64, "b" * 128, "c" * 64)
    witness.announce(head)
    witness.announce(head)  # a retry of the same head is fine

    with pytest.raises(WitnessError, match="other contents"):
        witness.announce(WitnessedHead(3, 1000, "d" * 64, "b" * 128, "c" * 64))
    assert witness.latest() == head


def test_directory_witness_latest_is_the_largest_tree(tmp_path: Path) -> None:
    witness = DirectoryWitness(tmp_path / "w")
    assert witness.latest() is None
    for size in (9, 12, 10):
        witness.announce(WitnessedHead(size, 1000 + size, "a" * 64, "b" * 128, "c" * 64))
    assert witness.latest().tree_size == 12  # type: ignore[union-attr]


def test_mail_witness_mails_each_head(
    some_events: list[AuditEvent], settings: Any, mailoutbox: list[Any]
) -> None:
    settings.AUDIT_WITNESS_URLS = ["mailto:supervision@example.org"]

    head = audit_log.sign_now(audit.SYSTEM)

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["supervision@example.org"]
    assert head.root_hash in mail.body
    assert f'"tree_size": {head.tree_size}' in mail.body


def test_mail_witness_cannot_be_asked_for_its_latest_head() -> None:
    with pytest.raises(NotQueryable):
        open_witness("mailto:supervision@example.org").latest()


@pytest.mark.parametrize("url", ["ftp://x/y", "s3://ab", "file://", "mailto:nobody"])
def test_bad_witness_urls_are_refused(url: str) -> None:
    with pytest.raises(WitnessError):
        open_witness(url)
