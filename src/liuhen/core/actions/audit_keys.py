"""Rotating the audit signing key (R1.1): a command, audited, announced to the witnesses.

The old key signs a last head over the log as it is, the new key replaces it, the
rotation is recorded, and the new key signs a head over that record — so the hand-over
itself sits between a head of each key. Old heads stay checkable: the old public key
stays in the key list with its validity period (:mod:`liuhen.core.signing_keys`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from liuhen.core import access, audit
from liuhen.core.actions import witnesses
from liuhen.core.events import AuditLogEvents
from liuhen.core.models import Outcome
from liuhen.core.perms import AuditLogPerms
from liuhen.core.signing_keys import rotate_signing_key
from liuhen.core.treehead import InconsistentLog, sign_tree_head


def rotate_key(actor: AbstractBaseUser | audit.Actor) -> dict[str, Any]:
    """Retire the signing key for a new one; refused (``InconsistentLog``) on a log that no
    longer extends its latest head, since neither key may sign over tampering."""
    access.require(actor, AuditLogPerms.SIGN)
    try:
        last_old = sign_tree_head()
    except InconsistentLog as exc:
        with transaction.atomic(durable=True):
            audit.record(
                AuditLogEvents.ROTATE_KEY,
                actor=actor,
                object_type="core.treehead",
                outcome=Outcome.FAILED,
                details={"reason": str(exc)},
            )
        raise
    old, new = rotate_signing_key()
    with transaction.atomic(durable=True):
        audit.record(
            AuditLogEvents.ROTATE_KEY,
            actor=actor,
            object_type="core.treehead",
            details={
                "old_key_id": old.key_id,
                "new_key_id": new.key_id,
                "last_head_of_old_key": last_old.tree_size,
            },
        )
    first_new = sign_tree_head()
    failed = witnesses.announce_key(new, old.key_id)
    failed += witnesses.announce_head(last_old)
    failed += witnesses.announce_head(first_new)
    return {
        "old_key_id": old.key_id,
        "new_key_id": new.key_id,
        "valid_from": new.valid_from_ms,
        "tree_size": first_new.tree_size,
        "witnesses_failed": sorted(set(failed)),
    }
