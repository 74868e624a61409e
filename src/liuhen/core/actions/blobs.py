"""Audited runs over the blob store (R16.1, R23.1): the fixity check and the replication
to a second store. Only the server runs them — the scheduler or the operator's shell
(``liuhen blobs``) — so the actor is a system :class:`~liuhen.core.audit.Actor` and no
permission is asked."""

from __future__ import annotations

from django.db import transaction

from liuhen.core import audit, registry
from liuhen.core.blobs import (
    BlobStore,
    FixityReport,
    ReplicationReport,
    check_fixity,
    get_store,
    replicate,
)
from liuhen.core.events import BlobEvents
from liuhen.core.models import Outcome


def run_fixity(
    actor: audit.Actor, store: BlobStore | None = None, *, sample: int | None = None
) -> FixityReport:
    """:func:`~liuhen.core.blobs.check_fixity`, recorded in the audit log (outcome
    ``failed`` on problems).

    On problems the apps that keep records of the files hear of them
    (``registry.fixity_listeners``, each called with the store, the report and the
    run's audit event) in the run's transaction, so findings exist exactly when the
    run's event does.
    """
    store = store or get_store()
    report = check_fixity(store, sample=sample)
    with transaction.atomic(durable=True):
        event = audit.record(
            BlobEvents.FIXITY,
            actor=actor,
            object_type="core.blob",
            outcome=Outcome.OK if report.ok else Outcome.FAILED,
            details={"store": store.describe(), "sample": sample, **report.as_dict()},
        )
        if not report.ok:
            for listener in registry.fixity_listeners.values():
                listener(store, report, event)
    return report


def run_replicate(actor: audit.Actor, source: BlobStore, target: BlobStore) -> ReplicationReport:
    """:func:`~liuhen.core.blobs.replicate`, recorded in the audit log (outcome ``failed``
    on problems)."""
    report = replicate(source, target)
    with transaction.atomic(durable=True):
        audit.record(
            BlobEvents.REPLICATE,
            actor=actor,
            object_type="core.blob",
            outcome=Outcome.OK if report.ok else Outcome.FAILED,
            details={"from": source.describe(), "to": target.describe(), **report.as_dict()},
        )
    return report
