"""Bureau forms added without code (R6.1): the system administrator's actions. What the
typed lines mean is ``documents.catalog.bureau``; these check and save a form."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from liuhen.accounts.models import User
from liuhen.cases import approvals
from liuhen.cases.models import Stage
from liuhen.core import access, audit
from liuhen.documents.catalog import bureau
from liuhen.documents.catalog.catalog import builtin_forms
from liuhen.documents.events import FormEvents
from liuhen.documents.models import FormDefinition, KindChoices
from liuhen.documents.perms import FormPerms
from liuhen.documents.spec import Kind


def create_form(
    actor: User, *, code: str, data: bureau.FormInput, request: HttpRequest | None = None
) -> FormDefinition:
    """Add a bureau form; its code is fixed from now on (documents name their form by it)."""
    access.require(actor, FormPerms.MANAGE, request=request)
    code = code.strip()
    errors: dict[str, list[str]] = {}
    if not bureau.CODE_PATTERN.match(code):
        errors["code"] = [
            _(
                "The code is lower-case letters, digits and _, starting with a letter "
                "(at most 64), e.g. site_photo_record."
            )
        ]
    elif code in {spec.code for spec in builtin_forms()}:
        errors["code"] = [_("This code belongs to a form of the standard catalog.")]
    elif FormDefinition.objects.filter(code=code).exists():
        errors["code"] = [_("A bureau form with this code exists already.")]
    values = _clean(data, errors)
    with transaction.atomic(durable=True):
        row = FormDefinition.objects.create(code=code, created_by=actor, **values)
        audit.record(
            FormEvents.CREATE,
            actor=actor,
            request=request,
            obj=row,
            details={"code": code, "title": row.title, "fields": len(row.fields)},
        )
    return row


def update_form(
    actor: User, form: FormDefinition, *, data: bureau.FormInput, request: HttpRequest | None = None
) -> FormDefinition:
    """Change a bureau form. Documents issued on it keep the values they were issued with."""
    access.require(actor, FormPerms.MANAGE, form, request=request)
    values = _clean(data, {})
    with transaction.atomic(durable=True):
        row = FormDefinition.objects.select_for_update().get(pk=form.pk)
        changed = sorted(name for name, value in values.items() if getattr(row, name) != value)
        for name, value in values.items():
            setattr(row, name, value)
        row.save()
        audit.record(
            FormEvents.CHANGE,
            actor=actor,
            request=request,
            obj=row,
            details={"code": row.code, "changed": changed},
        )
    return row


def _clean(data: bureau.FormInput, errors: dict[str, list[str]]) -> dict[str, Any]:
    """The settings and fields as model values; raises with ``errors`` plus its own."""
    title = " ".join(data.title.split())
    if not title:
        errors["title"] = [_("Enter the form's title as printed.")]
    elif len(title) > bureau.MAX_LABEL:
        errors["title"] = [_("The title is at most 100 characters.")]
    if data.kind not in KindChoices.values:
        errors["kind"] = [_("Choose the kind of form.")]
    number_kind = data.number_kind.strip()
    if len(number_kind) > bureau.MAX_NUMBER_KIND or any(c in number_kind for c in "{} \t"):
        errors["number_kind"] = [
            _("The number kind is a short word of the document number, e.g. 通 (at most 10).")
        ]
    if data.stage and data.stage not in Stage.values:
        errors["stage"] = [_("Choose a stage of the case.")]
    step = data.approval_step.strip()
    if step and step not in approvals.steps():
        errors["approval_step"] = [_("Choose one of the approval steps.")]
    elif step and data.kind != Kind.INTERNAL:
        errors["approval_step"] = [_("Only an internal form goes through an approval.")]
    signers = bureau.parse_signers(data.signers, errors)
    try:
        fields = bureau.parse_fields(data.fields)
    except ValidationError as error:
        errors.update(error.message_dict)
        fields = []
    if errors:
        raise ValidationError(errors)
    return {
        "title": title,
        "kind": data.kind,
        "number_kind": number_kind,
        "stage": data.stage,
        "signature": data.signature,
        "signers": signers,
        "paginated": data.paginated,
        "sealed": data.sealed,
        "approval_step": step,
        "enforcement_decision": data.enforcement_decision,
        "active": data.active,
        "fields": fields,
    }
