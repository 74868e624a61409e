"""调阅申请 (R21.1): filing a request, granting or refusing it, revoking a grant.

The person filing cannot see what they ask for, so the request names it by kind and id
(from the refusal page) or by case number; the action finds it and the unit that owns it,
whose head decides. A grant runs for the days asked from the moment it is given.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.accounts.models import User
from liuhen.cases.models import Case
from liuhen.cases.perms import CasePerms
from liuhen.core import access, audit, rules
from liuhen.core.confidentiality import RESTRICTED_CLASSES
from liuhen.documents.models import IssuedDocument
from liuhen.documents.perms import DocumentPerms
from liuhen.media.models import AvRecord
from liuhen.media.perms import MediaPerms
from liuhen.retrieval.events import RetrievalEvents
from liuhen.retrieval.models import (
    AccessKind,
    Grant,
    Refusal,
    RequestStatus,
    RetrievalRequest,
    Revocation,
    TargetKind,
)
from liuhen.retrieval.perms import RetrievalPerms

if TYPE_CHECKING:
    from django.http import HttpRequest

# What the person must already be refused for a request to make sense.
_NEEDED = {
    (TargetKind.CASE, AccessKind.VIEW): CasePerms.VIEW,
    (TargetKind.CASE, AccessKind.DOWNLOAD): CasePerms.VIEW,
    (TargetKind.DOCUMENT, AccessKind.VIEW): DocumentPerms.DOWNLOAD,
    (TargetKind.DOCUMENT, AccessKind.DOWNLOAD): DocumentPerms.DOWNLOAD,
    (TargetKind.RECORD, AccessKind.VIEW): MediaPerms.VIEW,
    (TargetKind.RECORD, AccessKind.DOWNLOAD): MediaPerms.DOWNLOAD,
}


def find_target(kind: str, *, pk: int | None = None, case_number: str = "") -> models.Model:
    """The case, document or AV record a request names; a Chinese refusal when none."""
    found: models.Model | None = None
    if kind == TargetKind.CASE and case_number.strip():
        found = Case.objects.filter(number=case_number.strip()).first()
    elif kind == TargetKind.CASE and pk is not None:
        found = Case.objects.filter(pk=pk).first()
    elif kind == TargetKind.DOCUMENT and pk is not None:
        found = IssuedDocument.objects.filter(pk=pk).first()
    elif kind == TargetKind.RECORD and pk is not None:
        found = AvRecord.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationError(
            {
                "case_number": _(
                    "No case, document or AV record was found to retrieve; check the case number."
                )
            }
        )
    return found


def _cases_of(target: models.Model) -> list[Case]:
    if isinstance(target, Case):
        return [target]
    if isinstance(target, IssuedDocument):
        return [target.case]
    assert isinstance(target, AvRecord)
    return list(
        Case.objects.filter(
            models.Q(av_links__record=target, av_links__unlink__isnull=True)
            | models.Q(
                activities__av_links__record=target, activities__av_links__unlink__isnull=True
            )
        ).distinct()
    )


def _owning_unit_id(target: models.Model) -> int:
    if isinstance(target, Case):
        return int(target.unit_id)
    if isinstance(target, IssuedDocument):
        return int(target.case.unit_id)
    assert isinstance(target, AvRecord)
    return int(target.unit_id)


def _next_number(now: dt.datetime) -> str:
    year = timezone.localtime(now).year
    prefix = f"DY-{year}-"
    count = RetrievalRequest.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{count + 1:04d}"


def _validate(
    actor: User, kind: str, target: models.Model, access_kind: str, reason: str, days: int
) -> None:
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = _("State why you need to retrieve it.")
    longest = int(rules.value("retrieval_grant_max_days"))
    if days < 1 or days > longest:
        errors["days"] = _("The period must be between 1 and %(days)s days.") % {"days": longest}
    if access_kind not in AccessKind.values:
        errors["access"] = _("Choose view or download.")
    elif access.can(actor, _NEEDED[(TargetKind(kind), AccessKind(access_kind))], target):
        errors["access"] = _("You may already do this; there is nothing to ask for.")
    if errors:
        raise ValidationError(errors)


def file_request(
    actor: User,
    *,
    kind: str,
    pk: int | None = None,
    case_number: str = "",
    access_kind: str = AccessKind.VIEW,
    reason: str,
    days: int | None = None,
    request: HttpRequest | None = None,
) -> RetrievalRequest:
    """File a 调阅申请 for a case, a document or an AV record (R21.1)."""
    access.require(actor, RetrievalPerms.FILE, request=request)
    if kind not in TargetKind.values:
        raise ValidationError({"kind": _("Choose a case, a document or an AV record.")})
    target = find_target(kind, pk=pk, case_number=case_number)
    days = int(rules.value("retrieval_grant_days")) if days is None else days
    _validate(actor, kind, target, access_kind, reason, days)
    cases = _cases_of(target)
    now = timezone.now()
    with transaction.atomic(durable=True):
        filed = RetrievalRequest.objects.create(
            number=_next_number(now),
            requested_by=actor,
            requested_at=now,
            reason=reason.strip(),
            target_kind=kind,
            case=cases[0] if kind != TargetKind.RECORD and cases else None,
            document=target if isinstance(target, IssuedDocument) else None,
            record=target if isinstance(target, AvRecord) else None,
            access=access_kind,
            days=days,
            owning_unit_id=_owning_unit_id(target),
            # A classified record is decided by the agency head.
            needs_agency_head=any(case.confidentiality in RESTRICTED_CLASSES for case in cases),
        )
        audit.record(
            RetrievalEvents.FILE,
            actor=actor,
            request=request,
            obj=filed,
            case_id=cases[0].pk if cases else None,
            details=_described(filed),
        )
    return filed


def _described(filed: RetrievalRequest) -> dict[str, Any]:
    target = filed.target
    return {
        "number": filed.number,
        "target": f"{target._meta.label_lower}:{target.pk}" if target is not None else "",
        "access": filed.access,
        "days": filed.days,
    }


def _refuse_unless_pending(filed: RetrievalRequest) -> None:
    if filed.status() != RequestStatus.PENDING:
        raise ValidationError(_("This retrieval request has been decided already."))


def grant(
    actor: User,
    filed: RetrievalRequest,
    *,
    opinion: str = "",
    request: HttpRequest | None = None,
) -> Grant:
    """Approve the request: access for its days from now, then nothing (R21.1)."""
    access.require(actor, RetrievalPerms.DECIDE, filed, request=request)
    _refuse_unless_pending(filed)
    now = timezone.now()
    with transaction.atomic(durable=True):
        given = Grant.objects.create(
            request=filed,
            by=actor,
            at=now,
            expires_at=now + dt.timedelta(days=filed.days),
            opinion=opinion.strip(),
        )
        audit.record(
            RetrievalEvents.GRANT,
            actor=actor,
            request=request,
            obj=filed,
            case_id=filed.case_id,
            details={"number": filed.number, "expires_at": given.expires_at.isoformat()},
        )
    return given


def refuse(
    actor: User, filed: RetrievalRequest, *, reason: str, request: HttpRequest | None = None
) -> Refusal:
    """Refuse the request, saying why."""
    access.require(actor, RetrievalPerms.DECIDE, filed, request=request)
    _refuse_unless_pending(filed)
    if not reason.strip():
        raise ValidationError({"reason": _("State why the request is refused.")})
    with transaction.atomic(durable=True):
        refusal = Refusal.objects.create(request=filed, by=actor, reason=reason.strip())
        audit.record(
            RetrievalEvents.REFUSE,
            actor=actor,
            request=request,
            obj=filed,
            case_id=filed.case_id,
            details={"number": filed.number},
        )
    return refusal


def revoke(
    actor: User, filed: RetrievalRequest, *, reason: str, request: HttpRequest | None = None
) -> Revocation:
    """Take a live grant back: it allows nothing from this moment."""
    access.require(actor, RetrievalPerms.REVOKE, filed, request=request)
    if filed.status() != RequestStatus.GRANTED:
        raise ValidationError(_("Only a grant that is still in force can be revoked."))
    if not reason.strip():
        raise ValidationError({"reason": _("State why the grant is revoked.")})
    with transaction.atomic(durable=True):
        revocation = Revocation.objects.create(grant=filed.grant, by=actor, reason=reason.strip())
        audit.record(
            RetrievalEvents.REVOKE,
            actor=actor,
            request=request,
            obj=filed,
            case_id=filed.case_id,
            details={"number": filed.number},
        )
    return revocation
