"""Bureau forms added without code (R6.1): the system administrator's actions.

A form's fields are typed as lines ``name|label|type|required|prefill`` (a sixth part lists
the choices of a ``choice`` field or the columns of an ``items`` table, separated by ";").
They are checked strictly, every wrong line named by its number, because a form that cannot
be filled or printed is found only when an officer needs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from liuhen.cases import approvals
from liuhen.cases.models import Stage
from liuhen.core import access, audit
from liuhen.documents.catalog import builtin_forms
from liuhen.documents.events import FormEvents
from liuhen.documents.models import FormDefinition, KindChoices
from liuhen.documents.perms import FormPerms
from liuhen.documents.spec import FieldType, Kind

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
FIELD_NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_FIELDS = 100
MAX_SIGNERS = 10
MAX_LABEL = 100
MAX_SIGNER = 30
MAX_NUMBER_KIND = 10
YES = frozenset({"yes", "y", "true", "1", "是", "必填"})
NO = frozenset({"", "no", "n", "false", "0", "否", "选填"})
LIST_SEPARATORS = re.compile(r"[;；]")


@dataclass(frozen=True)
class FormInput:
    """A bureau form as typed on the page; ``signers`` and ``fields`` one item per line."""

    title: str
    kind: str
    fields: str
    number_kind: str = ""
    stage: str = ""
    signature: bool = False
    signers: str = ""
    paginated: bool = False
    sealed: bool = False
    approval_step: str = ""
    active: bool = True


def create_form(
    actor: Any, *, code: str, data: FormInput, request: HttpRequest | None = None
) -> FormDefinition:
    """Add a bureau form; its code is fixed from now on (documents name their form by it)."""
    access.require(actor, FormPerms.MANAGE, request=request)
    code = code.strip()
    errors: dict[str, list[str]] = {}
    if not CODE_PATTERN.match(code):
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
    with transaction.atomic():
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
    actor: Any, form: FormDefinition, *, data: FormInput, request: HttpRequest | None = None
) -> FormDefinition:
    """Change a bureau form. Documents issued on it keep the values they were issued with."""
    access.require(actor, FormPerms.MANAGE, form, request=request)
    values = _clean(data, {})
    with transaction.atomic():
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


def fields_as_lines(fields: list[dict[str, Any]]) -> str:
    """The stored fields written back as the lines the page edits."""
    lines = []
    for item in fields:
        parts = [
            str(item["name"]),
            str(item["label"]),
            str(item.get("type", FieldType.TEXT)),
            "yes" if item.get("required") else "no",
            str(item.get("prefill", "")),
        ]
        if item.get("choices"):
            parts.append(";".join(str(c) for c in item["choices"]))
        lines.append("|".join(parts))
    return "\n".join(lines)


def parse_fields(text: str) -> list[dict[str, Any]]:
    """The field lines as stored field dicts; ValidationError listing each wrong line."""
    from liuhen.documents.prefill import KEYS

    fields: list[dict[str, Any]] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if not 2 <= len(parts) <= 6:
            errors.append(
                _("Line %(line)d: write name|label|type|required|prefill.") % {"line": number}
            )
            continue
        name, label, kind, required, prefill, choices = (parts + [""] * 4)[:6]
        problems = _field_problems(name, label, kind or FieldType.TEXT, required, prefill, KEYS)
        if name in seen:
            problems.append(
                _("the name “%(name)s” is used on line %(other)d already")
                % {"name": name, "other": seen[name]}
            )
        items = [c.strip() for c in LIST_SEPARATORS.split(choices) if c.strip()]
        listing = kind in (FieldType.CHOICE, FieldType.ITEMS)
        if listing and not items:
            problems.append(
                _("a choice field lists its choices, an items table its columns, after a sixth |")
            )
        elif items and not listing:
            problems.append(_("only a choice or items field has a list after a sixth |"))
        if problems:
            errors.append(
                _("Line %(line)d: %(problems)s.")
                % {"line": number, "problems": "; ".join(problems)}
            )
            continue
        seen[name] = number
        fields.append(
            {
                "name": name,
                "label": label,
                "type": kind or FieldType.TEXT.value,
                "required": required.lower() in YES,
                "prefill": prefill,
                "choices": items,
            }
        )
    if not errors and not fields:
        errors.append(_("A form has at least one field."))
    if len(fields) > MAX_FIELDS:
        errors.append(_("A form has at most %(count)d fields.") % {"count": MAX_FIELDS})
    if errors:
        raise ValidationError({"fields": errors})
    return fields


def _field_problems(
    name: str, label: str, kind: str, required: str, prefill: str, keys: frozenset[str]
) -> list[str]:
    problems = []
    if not FIELD_NAME_PATTERN.match(name):
        problems.append(
            _(
                "the name “%(name)s” must be lower-case letters, digits and _, starting with a "
                "letter"
            )
            % {"name": name}
        )
    if not label:
        problems.append(_("the label is missing"))
    elif len(label) > MAX_LABEL:
        problems.append(_("the label is longer than %(count)d characters") % {"count": MAX_LABEL})
    if kind not in {t.value for t in FieldType}:
        problems.append(
            _("unknown type “%(type)s” (use one of %(types)s)")
            % {"type": kind, "types": ", ".join(t.value for t in FieldType)}
        )
    if required.lower() not in YES | NO:
        problems.append(_("required is “yes” or “no”, not “%(value)s”") % {"value": required})
    if prefill and prefill not in keys:
        problems.append(_("unknown prefill “%(key)s”") % {"key": prefill})
    return problems


def _signers(text: str, errors: dict[str, list[str]]) -> list[str]:
    signers: list[str] = []
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        role = line.strip()
        if not role:
            continue
        if len(role) > MAX_SIGNER:
            errors.setdefault("signers", []).append(
                _("Line %(line)d: a signature line is at most %(count)d characters.")
                % {"line": number, "count": MAX_SIGNER}
            )
        elif role in signers:
            errors.setdefault("signers", []).append(
                _("Line %(line)d: “%(role)s” is listed twice.") % {"line": number, "role": role}
            )
        else:
            signers.append(role)
    if len(signers) > MAX_SIGNERS:
        errors.setdefault("signers", []).append(
            _("A form has at most %(count)d signature lines.") % {"count": MAX_SIGNERS}
        )
    return signers


def _clean(data: FormInput, errors: dict[str, list[str]]) -> dict[str, Any]:
    """The settings and fields as model values; raises with ``errors`` plus its own."""
    title = " ".join(data.title.split())
    if not title:
        errors["title"] = [_("Enter the form's title as printed.")]
    elif len(title) > MAX_LABEL:
        errors["title"] = [_("The title is at most 100 characters.")]
    if data.kind not in KindChoices.values:
        errors["kind"] = [_("Choose the kind of form.")]
    number_kind = data.number_kind.strip()
    if len(number_kind) > MAX_NUMBER_KIND or any(c in number_kind for c in "{} \t"):
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
    signers = _signers(data.signers, errors)
    try:
        fields = parse_fields(data.fields)
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
        "active": data.active,
        "fields": fields,
    }
