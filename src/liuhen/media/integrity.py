"""Fixity findings 完整性校验 (R16.1, R23.1 (四)): what the integrity page reads — the
latest fixity run as its audit event tells it, which AV records a finding concerns — and
the notice to the people who answer for stored files. The findings are written by
``media.actions.integrity.raise_findings``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from liuhen.accounts.models import Role, User
from liuhen.core import access, blobs, notifications
from liuhen.core.events import BlobEvents
from liuhen.core.models import AuditEvent
from liuhen.media.models import AvProbe, AvQuarantine, AvRecord


def _recipients() -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, role_grants__role__in=[Role.CUSTODIAN, Role.SECURITY_ADMIN]
    ).distinct()


def notify_findings(run: int, changed: int, missing: int, untracked: int) -> None:
    """Tell the custodians and the security admin what a fixity run found (after commit)."""
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

    @property
    def store_label(self) -> str:
        return blobs.store_label(self.store)


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


def fixity_ran_since(moment: dt.datetime) -> bool:
    """A fixity run (sample or full) was recorded at or after ``moment``."""
    return AuditEvent.objects.filter(action=BlobEvents.FIXITY, time__gte=moment).exists()


def records_by_blob(user: Any, sha256s: Iterable[str]) -> dict[str, list[int]]:
    """The AV records ``user`` may see whose file or thumbnail is one of ``sha256s``."""
    shas = set(sha256s)
    records: dict[str, list[int]] = defaultdict(list)
    visible = access.visible(user, AvRecord.objects.all())
    for pk, sha256 in visible.filter(blob_id__in=shas).values_list("pk", "blob_id"):
        records[sha256].append(pk)
    thumbnails = AvProbe.objects.filter(thumbnail_id__in=shas, record__in=visible)
    for pk, sha256 in thumbnails.values_list("record_id", "thumbnail_id"):
        records[sha256].append(pk)
    return {sha256: sorted(pks) for sha256, pks in records.items()}


def quarantined(user: Any) -> tuple[QuerySet[AvRecord], int]:
    """The quarantined records ``user`` may see (newest first) and how many there are in
    all: the count is shown to everyone on the integrity page, the files only to those
    who may list AV records (R21.2)."""
    visible = access.visible(user, AvRecord.objects.filter(quarantine__isnull=False))
    records = visible.select_related("quarantine", "uploaded_by", "via_device").order_by(
        "-quarantine__at", "-pk"
    )
    return records, AvQuarantine.objects.count()
