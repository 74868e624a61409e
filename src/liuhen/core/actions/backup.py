"""Audited backup and restore of the whole instance (R23.1). Only the server runs them —
the scheduler or the operator's shell (``liuhen backup`` / ``liuhen restore``) — so the
actor is a system :class:`~liuhen.core.audit.Actor` and no permission is asked.

A restore is not done until the restored instance has passed the checks it would face
in service: the audit log verifies (``verify_chain``, as ``liuhen audit verify``) and
every stored file passes fixity (``run_fixity``, as ``liuhen blobs fixity``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import connections, transaction

from liuhen.core import audit
from liuhen.core.actions.blobs import run_fixity
from liuhen.core.backup import sets
from liuhen.core.backup.crypto import Secret
from liuhen.core.blobs import BlobStore, FixityReport, get_store
from liuhen.core.events import BackupEvents
from liuhen.core.logcheck import CheckResult
from liuhen.core.models import Outcome
from liuhen.core.verify import verify_chain


@dataclass
class RestoreOutcome:
    report: sets.RestoreReport
    audit_log: CheckResult
    fixity: FixityReport

    @property
    def ok(self) -> bool:
        return self.audit_log.ok and self.fixity.ok


def back_up(
    actor: audit.Actor,
    dest: Path,
    secret: Secret,
    *,
    keep: int | None = None,
    store: BlobStore | None = None,
) -> sets.BackupReport:
    """A new backup set in ``dest`` (see :func:`liuhen.core.backup.sets.make_backup`),
    recorded in the audit log after the set is complete — or as failed, with the reason."""
    try:
        report = sets.make_backup(dest, secret, keep=keep, store=store)
    except sets.BackupError as exc:
        with transaction.atomic(durable=True):
            audit.record(
                BackupEvents.MAKE,
                actor=actor,
                outcome=Outcome.FAILED,
                details={"dest": str(dest), "reason": str(exc)},
            )
        raise
    with transaction.atomic(durable=True):
        audit.record(
            BackupEvents.MAKE,
            actor=actor,
            details={"dest": str(dest), **report.as_dict()},
        )
    return report


def restore_instance(
    actor: audit.Actor, source: Path, secret: Secret, *, store: BlobStore | None = None
) -> RestoreOutcome:
    """Rebuild this empty instance from a backup set, then check its audit log and its
    files; the restore is recorded in the restored log with both results."""
    store = store or get_store()
    report = sets.restore(source, secret, store=store)
    connections.close_all()  # the database under the connections was just replaced
    audit_log = verify_chain()
    fixity = run_fixity(actor, store)
    outcome = RestoreOutcome(report, audit_log, fixity)
    with transaction.atomic(durable=True):
        audit.record(
            BackupEvents.RESTORE,
            actor=actor,
            outcome=Outcome.OK if outcome.ok else Outcome.FAILED,
            details={
                "set": report.set_name,
                "began_at": report.began_at,
                "blobs": report.blobs,
                "keys": report.keys,
                "audit_log_ok": audit_log.ok,
                "audit_log": audit_log.summary(),
                "fixity_ok": fixity.ok,
            },
        )
    return outcome
