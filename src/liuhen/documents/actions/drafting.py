"""Drafting a document (R6.1): start a draft filled from the case, keep what is typed,
discard it. A draft is mutable until it is issued; a new version of an issued document or a
written correction 补正 of a served one starts as a draft too (drafting rules)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.accounts.models import User
from liuhen.activities.models import Activity
from liuhen.cases.actions.frozen import refuse_if_archived
from liuhen.cases.models import Case
from liuhen.core import access, audit
from liuhen.documents.actions import guards
from liuhen.documents.catalog import values
from liuhen.documents.catalog.prefill import prefill
from liuhen.documents.events import DocumentEvents
from liuhen.documents.issuing import receipts, versions
from liuhen.documents.models import Document, DocumentStatus, IssuedDocument
from liuhen.documents.perms import DocumentPerms


def create_draft(
    actor: User,
    case: Case,
    form_code: str,
    *,
    activity: Activity | None = None,
    supersedes: IssuedDocument | None = None,
    corrects: IssuedDocument | None = None,
    serves: IssuedDocument | None = None,
    initial: Mapping[str, str] | None = None,
    request: HttpRequest | None = None,
) -> Document:
    """Start a document of ``form_code`` for ``case``, filled from what the case records.

    ``supersedes``: remake an issued document found wrong before service (a new version
    replacing it); ``corrects``: a written correction 补正 of a served one (drafting rules).
    ``serves``: a service receipt 送达回证 for that issued document, filled with its title,
    文号 and party (R10.1). ``initial``: values typed elsewhere that win over the case's.
    """
    plain = supersedes is None and corrects is None and serves is None and activity is None
    permission = guards.draft_permission(actor, case, form_code) if plain else DocumentPerms.DRAFT
    access.require(actor, permission, case, request=request)
    refuse_if_archived(actor, case, "documents.create_draft", request=request)
    spec = guards.form(form_code)
    guards.require_hearing_variant(case, spec)
    if supersedes is not None:
        if supersedes.case_id != case.pk or supersedes.form_code != form_code:
            raise ValidationError(_("A new version must be of the same form and case."))
        if versions.is_served(supersedes):
            raise ValidationError(
                _(
                    "This document has been served: it cannot be remade. Issue a written "
                    "correction (补正) instead."
                ),
                code="served",
            )
        if versions.is_replaced(supersedes):
            raise ValidationError(_("This document has already been replaced."), code="replaced")
    if corrects is not None and corrects.case_id != case.pk:
        raise ValidationError(_("A correction must be of a document of the same case."))
    if corrects is not None and not versions.is_served(corrects):
        raise ValidationError(
            _(
                "This document has not been served: remake it as a new version instead of "
                "issuing a correction."
            ),
            code="not_served",
        )
    if serves is not None:
        receipts.require_servable(case, spec, serves)
    if activity is not None and activity.case_id != case.pk:
        raise ValidationError({"activity": [_("The activity is not of this case.")]})
    kinds = spec.activity_types
    if activity is not None and kinds and activity.type.code not in kinds:
        raise ValidationError(
            {"activity": [_("This form is not a record of that kind of activity.")]},
            code="activity_type",
        )
    data = (
        dict(supersedes.data) if supersedes is not None else prefill(case, spec, activity=activity)
    )
    if corrects is not None:
        data.update(versions.correction_values(corrects))
    if serves is not None:
        data.update(receipts.receipt_values(serves))
    data.update({k: str(v) for k, v in (initial or {}).items()})
    with transaction.atomic(durable=True):
        document = Document.objects.create(
            case=case,
            form_code=spec.code,
            title=spec.title,
            data={k: v for k, v in data.items() if spec.get_field(k) is not None},
            activity=activity,
            supersedes=supersedes,
            corrects=corrects,
            serves=serves,
            created_by=actor,
        )
        audit.record(
            DocumentEvents.DRAFT,
            actor=actor,
            request=request,
            obj=document,
            case_id=case.pk,
            details={
                "form": spec.code,
                **({"supersedes": supersedes.pk} if supersedes else {}),
                **({"corrects": corrects.pk} if corrects else {}),
                **({"serves": serves.pk} if serves else {}),
            },
        )
    return document


def save_draft(
    actor: User,
    document: Document,
    data: Mapping[str, Any],
    *,
    request: HttpRequest | None = None,
) -> Document:
    """Keep the values typed so far (types checked, required fields only at issue)."""
    access.require(actor, DocumentPerms.DRAFT, document, request=request)
    refuse_if_archived(actor, document.case, "documents.save_draft", request=request)
    spec = guards.form(document.form_code)
    cleaned = values.clean(spec, data, require=False)
    with transaction.atomic(durable=True):
        document = Document.objects.select_for_update().get(pk=document.pk)
        guards.require_draft(document)
        document.data = cleaned
        document.updated_at = timezone.now()
        document.save(update_fields=["data", "updated_at"])
        audit.record(
            DocumentEvents.DRAFT,
            actor=actor,
            request=request,
            obj=document,
            case_id=document.case_id,
            details={"form": spec.code, "saved": True},
        )
    return document


def discard_draft(actor: User, document: Document, *, request: HttpRequest | None = None) -> None:
    access.require(actor, DocumentPerms.DRAFT, document, request=request)
    refuse_if_archived(actor, document.case, "documents.discard_draft", request=request)
    with transaction.atomic(durable=True):
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.status not in (DocumentStatus.DRAFT, DocumentStatus.APPROVED):
            raise ValidationError(_("Only an unissued draft can be discarded."), code="issued")
        document.status = DocumentStatus.DISCARDED
        document.save(update_fields=["status"])
        audit.record(
            DocumentEvents.DISCARD,
            actor=actor,
            request=request,
            obj=document,
            case_id=document.case_id,
        )
