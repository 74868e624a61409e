"""The database itself refuses to change or delete audit rows (R1.1, R23.1)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from liuhen.core import writeonce
from liuhen.core.models import AuditEvent, TreeHead
from liuhen.core.treehead import sign_tree_head

pytestmark = pytest.mark.usefixtures("signing_key_file")

STATEMENTS = [
    "UPDATE core_auditevent SET action = 'x' WHERE seq = 1",
    "UPDATE core_auditevent SET seq = 99 WHERE seq = 2",
    "DELETE FROM core_auditevent WHERE seq = 3",
    "DELETE FROM core_auditevent",
    "UPDATE core_treehead SET tree_size = 1",
    "DELETE FROM core_treehead",
]


@pytest.mark.parametrize("sql", STATEMENTS)
def test_raw_update_and_delete_are_rejected(some_events: list[Any], sql: str) -> None:
    sign_tree_head()
    with (
        pytest.raises(IntegrityError, match="write-once"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AuditEvent.objects.count() == 10
    assert AuditEvent.objects.get(seq=1).action == "test.event0"
    assert TreeHead.objects.count() == 1


def test_orm_save_and_delete_are_rejected(some_events: list[Any]) -> None:
    event = AuditEvent.objects.get(seq=1)
    event.action = "changed"
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.filter(seq=2).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.update(action="bulk")


def test_truncate_is_rejected_on_postgresql(some_events: list[Any]) -> None:
    if connection.vendor != "postgresql":
        # SQLite has no TRUNCATE; its DELETE without WHERE is covered above.
        assert "TRUNCATE" not in " ".join(writeonce.install_sql("sqlite", "core_auditevent"))
        return
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE core_auditevent")
    assert AuditEvent.objects.count() == 10


def test_inserting_stays_allowed(db: None) -> None:
    head = sign_tree_head()
    assert TreeHead.objects.filter(pk=head.pk).exists()


def test_the_triggers_are_installed_by_the_migration(db: None) -> None:
    # Other apps' write-once tables (e.g. cases_approval, R7.1) carry them too.
    assert {"core_auditevent", "core_treehead"} <= set(writeonce.protected_tables())


def test_flush_outside_tests_leaves_the_audit_log(some_events: list[Any], monkeypatch: Any) -> None:
    """`liuhen flush` in production cannot erase the audit log: the triggers refuse."""
    from django.core import mail

    monkeypatch.delattr(mail, "outbox")
    with pytest.raises(CommandError, match="couldn't be flushed"), transaction.atomic():
        call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 10
