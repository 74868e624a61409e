"""Announcing signed tree heads and new keys to the witnesses, and checking the log
against a witness (R1.1, R23.1).

An announcement happens after the head is committed and never blocks writing: a witness
that fails is logged and recorded as a failed ``audit.witness`` event (a finding the
audit admin sees in the log); the head stays signed, and the next head announced to that
witness covers everything before it anyway.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from liuhen.core import access, audit
from liuhen.core.events import AuditLogEvents
from liuhen.core.logcheck import ValidKey
from liuhen.core.models import Outcome, TreeHead
from liuhen.core.perms import AuditLogPerms
from liuhen.core.signing_keys import keyring
from liuhen.core.treehead import timestamp_ms
from liuhen.core.witness.base import Witness, WitnessedHead, WitnessError, key_announcement
from liuhen.core.witness.check import WitnessCheck, compare
from liuhen.core.witness.urls import configured_urls, open_witness

logger = logging.getLogger(__name__)


def witnessed(head: TreeHead) -> WitnessedHead:
    return WitnessedHead(
        tree_size=head.tree_size,
        timestamp_ms=timestamp_ms(head.timestamp),
        root_hash=head.root_hash,
        signature=head.signature,
        key_id=head.key_id,
    )


def _to_every_witness(what: str, deliver: Callable[[Witness], None]) -> list[str]:
    """Deliver to each configured witness; the URLs that failed."""
    failed = []
    for url in configured_urls():
        try:
            deliver(open_witness(url))
        except Exception as exc:  # a witness's failure must never stop the signing
            logger.exception("audit witness %s did not take the %s", url, what)
            failed.append(url)
            _record_failure(url, what, str(exc))
    return failed


def _record_failure(url: str, what: str, reason: str) -> None:
    with transaction.atomic(durable=True):
        audit.record(
            AuditLogEvents.WITNESS,
            actor=audit.SYSTEM,
            object_type="core.treehead",
            outcome=Outcome.FAILED,
            details={"witness": url[:200], "announced": what, "reason": reason[:500]},
        )


def announce_head(head: TreeHead) -> list[str]:
    """Give ``head`` to every witness once it is committed; the URLs that failed."""
    record = witnessed(head)
    return _to_every_witness("tree head", lambda witness: witness.announce(record))


def announce_key(new: ValidKey, previous_key_id: str | None) -> list[str]:
    announcement = key_announcement(new, previous_key_id)
    return _to_every_witness("signing key", lambda witness: witness.announce_key(announcement))


def check_against_witness(actor: AbstractBaseUser | audit.Actor, url: str) -> WitnessCheck:
    """``liuhen audit verify --witness URL``: the log against the witness's latest head;
    the check is recorded (outcome ``failed`` when the log does not extend it)."""
    access.require(actor, AuditLogPerms.VIEW)
    try:
        witness = open_witness(url)
        result = compare(witness.latest(), keyring(), url=url)
    except WitnessError as exc:
        result = WitnessCheck(False, str(exc))
    details: dict[str, Any] = {
        "witness": url[:200],
        "witness_size": result.witness_size,
        "events": result.local_size,
        "reason": "" if result.ok else result.message,
    }
    with transaction.atomic(durable=True):
        audit.record(
            AuditLogEvents.VERIFY,
            actor=actor,
            outcome=Outcome.OK if result.ok else Outcome.FAILED,
            details=details,
        )
    return result
