"""Fixity findings 完整性校验 (R16.1, R23.1 (四)): records damaged or lost by storage.

A fixity run (``liuhen blobs fixity``, or the daily sample the scheduler starts) that
finds a stored file changed, missing, untracked or without its SM3 writes one write-once
:class:`IntegrityFinding` per problem and notifies the custodians and the security
admin, besides its ``blob.fixity`` audit event. The blob store calls
:func:`raise_findings` through its listener hook (registered in ``MediaConfig.ready``),
so it stays free of this app. Files being written — ``tmp/`` of the filesystem store,
the staging prefix of an S3 store — are never listed by the store, so never findings.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction

from liuhen.core import blobs
from liuhen.core.models import AuditEvent
from liuhen.media.integrity import notify_findings
from liuhen.media.models import IntegrityFinding

Problem = IntegrityFinding.Problem


def raise_findings(store: blobs.BlobStore, report: blobs.FixityReport, event: AuditEvent) -> None:
    """One finding per problem of ``report``; the people who answer for it are told.

    Part of the fixity run's own transaction (its ``event`` is the run's audit event), so
    not durable; the people are told once it commits."""
    where = store.describe()[:300]
    run = {"run": event.seq, "sample": event.details.get("sample")}
    rows = [
        IntegrityFinding(
            sha256=sha256,
            problem=Problem.CHANGED,
            details={**run, "problems": report.details.get(sha256, [])},
            store=where,
        )
        for sha256 in report.changed
    ]
    rows += [
        IntegrityFinding(sha256=sha256, problem=Problem.MISSING, details=run, store=where)
        for sha256 in report.missing
    ]
    rows += [
        IntegrityFinding(sha256=sha256, problem=Problem.UNTRACKED, details=run, store=where)
        for sha256 in report.untracked
    ]
    rows += [
        IntegrityFinding(sha256=sha256, problem=Problem.WITHOUT_SM3, details=run, store=where)
        for sha256 in report.without_sm3
    ]
    IntegrityFinding.objects.bulk_create(rows)
    counts = (len(report.changed), len(report.missing), len(report.untracked))
    transaction.on_commit(partial(notify_findings, event.seq, *counts))
