"""Rectification orders 责令限期整改 (制度第二十三条): ordering, reporting with evidence,
verifying — closing the findings, sending the report back, or escalating.

Each step adds a write-once row; closing an order closes its open findings as rectified in
the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.core import access, audit
from liuhen.core.blobs import store_blob
from liuhen.supervision.actions.findings import _close
from liuhen.supervision.events import RectificationEvents
from liuhen.supervision.models import (
    ClosedBy,
    Finding,
    FindingClosure,
    OrderState,
    RectificationEvidence,
    RectificationOrder,
    RectificationReport,
    RectificationVerification,
    Verdict,
)
from liuhen.supervision.perms import RectificationPerms
from liuhen.supervision.rectification.state import order_state

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.http import HttpRequest

    from liuhen.accounts.models import Unit, User
    from liuhen.core.models import Blob

MAX_EVIDENCE_BYTES = 50 * 1024 * 1024


def order_rectification(
    actor: User,
    *,
    unit: Unit,
    responsible: User,
    requirement: str,
    deadline: dt.date,
    findings: Iterable[Finding] = (),
    sources: Sequence[dict[str, Any]] = (),
    request: HttpRequest | None = None,
) -> RectificationOrder:
    """Order ``unit`` to rectify by ``deadline``, ``responsible`` answering for it."""
    access.require(actor, RectificationPerms.ORDER, request=request)
    findings = list(findings)
    errors: dict[str, list[str]] = {}
    if not requirement.strip():
        errors["requirement"] = [_("Say what must be rectified.")]
    if deadline < timezone.localdate():
        errors["deadline"] = [_("The deadline cannot be in the past.")]
    if responsible.is_admin_role or not responsible.is_active:
        errors["responsible"] = [_("Choose an active enforcement account to answer for it.")]
    if any(not f.is_open for f in findings):
        errors["findings"] = [_("A closed finding cannot be rectified again.")]
    if not findings and not sources:
        errors["findings"] = [_("Name the findings or the source the order follows.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        order = RectificationOrder.objects.create(
            unit=unit,
            responsible=responsible,
            requirement=requirement.strip(),
            deadline=deadline,
            sources=list(sources),
            ordered_by=actor,
        )
        order.findings.set(findings)
        audit.record(
            RectificationEvents.ORDER,
            actor=actor,
            request=request,
            obj=order,
            details={
                "unit": unit.pk,
                "responsible": responsible.pk,
                "deadline": deadline.isoformat(),
                "findings": [f.pk for f in findings],
            },
        )
    return order


def _store_evidence(files: Sequence[UploadedFile]) -> list[tuple[Blob, str, str]]:
    stored = []
    for upload in files:
        if upload.size is not None and upload.size > MAX_EVIDENCE_BYTES:
            raise ValidationError(
                {
                    "evidence": [
                        _("Each file may be at most 50 MB: %(name)s") % {"name": upload.name}
                    ]
                }
            )
        upload.seek(0)
        stored.append((store_blob(upload), upload.name or "", upload.content_type or ""))
    return stored


def report_rectification(
    actor: User,
    order: RectificationOrder,
    *,
    text: str,
    files: Sequence[UploadedFile] = (),
    request: HttpRequest | None = None,
) -> RectificationReport:
    """The responsible person (or their unit head) reports what was done, with evidence."""
    access.require(actor, RectificationPerms.REPORT, order, request=request)
    if not text.strip():
        raise ValidationError({"text": [_("Describe what was done to rectify.")]})
    if not files:
        raise ValidationError({"evidence": [_("Attach the evidence of the rectification.")]})
    if order_state(order) != OrderState.AWAITING_REPORT:
        raise ValidationError(_("This order is not waiting for a report."))
    # The bytes are stored before the transaction: a large file does not hold it open,
    # and bytes stored for a report that then fails are only an orphan blob.
    stored = _store_evidence(files)
    with transaction.atomic(durable=True):
        report = RectificationReport.objects.create(
            order=order, text=text.strip(), submitted_by=actor
        )
        for blob, name, content_type in stored:
            RectificationEvidence.objects.create(
                report=report, blob=blob, name=name[:255], content_type=content_type[:100]
            )
        audit.record(
            RectificationEvents.REPORT,
            actor=actor,
            request=request,
            obj=order,
            details={"report": report.pk, "files": [blob.pk for blob, _n, _t in stored]},
        )
    return report


def verify_rectification(
    actor: User,
    order: RectificationOrder,
    *,
    verdict: str,
    note: str,
    request: HttpRequest | None = None,
) -> RectificationVerification:
    """The supervisor's verdict on the latest report: accepted closes the order and its
    findings (as rectified); returned asks for a new report; escalated hands it on."""
    access.require(actor, RectificationPerms.VERIFY, order, request=request)
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": [_("Choose a verdict.")]})
    if not note.strip():
        raise ValidationError({"note": [_("Give the reason for the verdict.")]})
    state = order_state(order)
    if state in (OrderState.CLOSED, OrderState.ESCALATED):
        raise ValidationError(_("This order is finished already."))
    if verdict != Verdict.ESCALATED and state != OrderState.AWAITING_VERIFICATION:
        raise ValidationError(_("There is no report to verify yet."))
    with transaction.atomic(durable=True):
        verification = RectificationVerification.objects.create(
            order=order, verdict=verdict, note=note.strip(), verified_by=actor
        )
        closed = []
        if verdict == Verdict.ACCEPTED:
            reason = _("Rectified under the order of %(day)s: %(note)s") % {
                "day": timezone.localtime(order.ordered_at).date().isoformat(),
                "note": note.strip(),
            }
            still_open = order.findings.exclude(pk__in=FindingClosure.objects.values("finding_id"))
            for finding in still_open:
                _close(actor, finding, how=ClosedBy.RECTIFIED, reason=reason)
                closed.append(finding.pk)
        audit.record(
            RectificationEvents.VERIFY,
            actor=actor,
            request=request,
            obj=order,
            details={"verdict": verdict, "closed_findings": closed},
        )
    return verification


def open_evidence(
    actor: User, evidence: RectificationEvidence, *, request: HttpRequest | None = None
) -> RectificationEvidence:
    """An audited read of one evidence file (the view streams the bytes)."""
    access.require(actor, RectificationPerms.VIEW, evidence.report.order, request=request)
    with transaction.atomic(durable=True):
        audit.record(
            RectificationEvents.READ_EVIDENCE,
            actor=actor,
            request=request,
            obj=evidence.report.order,
            details={"evidence": evidence.pk, "sha256": evidence.blob_id},
        )
    return evidence
