"""``liuhen audit verify --witness URL``: a log cut back to an earlier head, rewritten, or
re-signed with a new key no longer extends the witness's latest head (R1.1, R23.1)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from liuhen.core import audit
from liuhen.core.access import AccessDenied
from liuhen.core.actions import audit_log
from liuhen.core.actions.witnesses import check_against_witness
from liuhen.core.events import AuditLogEvents
from liuhen.core.models import AuditEvent, Outcome
from liuhen.core.signing_keys import keys_file
from liuhen.core.treehead import sign_tree_head
from tests.core.tamper import tampering

pytestmark = pytest.mark.usefixtures("signing_key_file")


def _verify(url: str) -> str:
    out = io.StringIO()
    call_command("audit", "verify", "--witness", url, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _cut_back_to(size: int) -> None:
    """What an attacker with the database does: drop later events and the heads over them."""
    with tampering() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE seq > %s", [size])
        cursor.execute("DELETE FROM core_treehead WHERE tree_size > %s", [size])


@pytest.fixture
def witnessed_log(some_events: list[AuditEvent], witness_dir: Path) -> str:
    """Ten events, a head over five and one over the ten (events 1–10), both witnessed."""
    with tampering() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE seq > 5")
    audit_log.sign_if_new_events(audit.SYSTEM)
    for i in range(5):
        audit.record("test.event1", object_type="cases.case", object_id=50 + i)
    audit_log.sign_if_new_events(audit.SYSTEM)
    return f"file://{witness_dir}"


def test_an_intact_log_is_consistent_with_the_witness(witnessed_log: str) -> None:
    audit.record("test.event2", object_type="cases.case", object_id=99)

    out = _verify(witnessed_log)

    assert "audit log intact" in out
    assert "与见证方" in out
    assert "一致" in out
    check = AuditEvent.objects.filter(action=AuditLogEvents.VERIFY).latest("seq")
    assert check.outcome == Outcome.OK
    assert check.details["witness_size"] == 10


def test_truncating_the_log_to_an_earlier_head_is_detected(witnessed_log: str) -> None:
    _cut_back_to(5)
    call_command("audit", "verify", stdout=io.StringIO())  # the log alone still checks out

    with pytest.raises(CommandError, match="截短") as raised:
        _verify(witnessed_log)

    assert raised.value.returncode == 1
    assert "只有 5 条" in str(raised.value)
    check = AuditEvent.objects.filter(action=AuditLogEvents.VERIFY).latest("seq")
    assert check.outcome == Outcome.FAILED


def test_rewriting_after_an_earlier_head_is_detected(witnessed_log: str) -> None:
    _cut_back_to(5)
    for i in range(6):
        audit.record("test.event0", object_type="cases.case", object_id=70 + i)
    sign_tree_head()  # the same key signs the rewritten log
    call_command("audit", "verify", stdout=io.StringIO())

    with pytest.raises(CommandError, match="一致性证明") as raised:
        _verify(witnessed_log)

    assert "改写" in str(raised.value)


def test_re_signing_everything_with_a_new_key_is_detected(
    witnessed_log: str, signing_key_file: Path
) -> None:
    with tampering() as cursor:
        cursor.execute("DELETE FROM core_treehead")
    signing_key_file.unlink()
    keys_file().unlink(missing_ok=True)
    sign_tree_head()  # a new key is made and signs the log as it stands
    call_command("audit", "verify", stdout=io.StringIO())

    with pytest.raises(CommandError, match="重新签署") as raised:
        _verify(witnessed_log)

    assert raised.value.returncode == 1


def test_a_witness_with_no_head_yet_fails(some_events: list[AuditEvent], tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="尚无"):
        _verify(f"file://{tmp_path / 'empty'}")


def test_an_e_mail_witness_cannot_be_checked(some_events: list[AuditEvent]) -> None:
    with pytest.raises(CommandError, match="e-mail witness"):
        _verify("mailto:supervision@example.org")


def test_checking_needs_the_audit_admin(witnessed_log: str, officer_wang: Any) -> None:
    with pytest.raises(AccessDenied):
        check_against_witness(officer_wang, witnessed_log)


def test_the_audit_admin_may_check(witnessed_log: str, auditor_chen: Any) -> None:
    assert check_against_witness(auditor_chen, witnessed_log).ok
