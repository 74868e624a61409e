"""Fixity findings 完整性校验 (R16.1, R23.1 (四)): records damaged or lost by storage.

A fixity run (``liuhen blobs fixity``, or the daily sample the scheduler starts) that
finds a stored file changed, missing or untracked writes one write-once
:class:`IntegrityFinding` per problem and notifies the custodians and the security
admin, besides its ``blob.fixity`` audit event. The blob store calls
:func:`raise_findings` through its listener hook (registered in ``MediaConfig.ready``),
so it stays free of this app. Files being written — ``tmp/`` of the filesystem store,
the staging prefix of an S3 store — are never listed by the store, so never findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from liuhen.accounts.models import Role, User
from liuhen.core import audit, blobs, notifications
from liuhen.core.actions import blobs as blob_actions
from liuhen.core.events import BlobEvents
from liuhen.core.models import AuditEvent
from liuhen.media.models import IntegrityFinding

Problem = IntegrityFinding.Problem


def raise_findings(store: blobs.BlobStore, report: blobs.FixityReport, event: AuditEvent) -> None:
    """One finding per problem of ``report``; the people who answer for it are told."""
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
    IntegrityFinding.objects.bulk_create(rows)
    counts = (len(report.changed), len(report.missing), len(report.untracked))
    transaction.on_commit(partial(_notify, event.seq, *counts))


def _recipients() -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, role_grants__role__in=[Role.CUSTODIAN, Role.SECURITY_ADMIN]
    ).distinct()


def _notify(run: int, changed: int, missing: int, untracked: int) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        text = _(
            "Fixity check found problems with stored files: %(changed)s changed, "
            "%(missing)s missing, %(untracked)s not on record."
        ) % {"changed": changed, "missing": missing, "untracked": untracked}
        subject = _("Fixity check failed")
        for person in _recipients():
            notifications.notify(
                person,
                text,
                link=reverse("media:integrity"),
                dedupe_key=f"fixity:{run}",
                subject=subject,
            )


@dataclass(frozen=True)
class FixityRun:
    """The latest fixity run, as its audit event tells it."""

    at: Any
    ok: bool
    store: str
    sample: int | None
    checked: int
    changed: int
    missing: int
    untracked: int


def latest_run() -> FixityRun | None:
    event = AuditEvent.objects.filter(action=BlobEvents.FIXITY).order_by("-seq").first()
    if event is None:
        return None
    details = event.details or {}
    return FixityRun(
        at=event.time,
        ok=event.outcome == "ok",
        store=str(details.get("store", "")),
        sample=details.get("sample"),
        checked=int(details.get("checked", 0)),
        changed=len(details.get("changed", [])),
        missing=len(details.get("missing", [])),
        untracked=len(details.get("untracked", [])),
    )


@task()
def daily_fixity_sample() -> dict[str, Any] | None:
    """Re-hash ``settings.FIXITY_SAMPLE_SIZE`` random blobs, once a local day (R16.1).

    The scheduler looks every hour; a run already today (sample or full) means nothing
    to do, so restarts and several schedulers do not check twice.
    """
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    if AuditEvent.objects.filter(action=BlobEvents.FIXITY, time__gte=midnight).exists():
        return None
    return blob_actions.run_fixity(audit.SYSTEM, sample=settings.FIXITY_SAMPLE_SIZE).as_dict()
