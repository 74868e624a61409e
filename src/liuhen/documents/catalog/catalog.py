"""The forms a case can use (R6.1): the national set and the bureau's own, as FormSpecs.

The national forms are data in ``catalog/data.py``; a bureau form is a
:class:`~liuhen.documents.models.FormDefinition` row the system administrator adds. Both
are read through :func:`get` and :func:`all_forms`, so nothing else asks where a form
came from. Code that acts on a kind of form asks for it by its flags
(:func:`codes_where`, :func:`rules_of`), never by its code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from liuhen.core import rules
from liuhen.documents.catalog.data import BUREAU_FORMS, DOCUMENT_STEP, NATIONAL_FORMS
from liuhen.documents.models import FormDefinition, IssuedDocument
from liuhen.documents.spec import (
    PAYMENT_QR,
    FieldSpec,
    FieldType,
    FormSpec,
    Kind,
    Numbering,
    ReceiptRole,
    ServiceClock,
    Waiver,
)


def builtin_forms() -> tuple[FormSpec, ...]:
    return NATIONAL_FORMS + BUREAU_FORMS


def field_from_dict(item: dict[str, Any]) -> FieldSpec:
    return FieldSpec(
        name=str(item["name"]),
        label=str(item["label"]),
        type=FieldType(item.get("type", FieldType.TEXT)),
        required=bool(item.get("required", False)),
        prefill=str(item.get("prefill", "")),
        choices=tuple(str(c) for c in item.get("choices", ())),
        help=str(item.get("help", "")),
    )


def field_to_dict(spec: FieldSpec) -> dict[str, Any]:
    return {
        "name": spec.name,
        "label": spec.label,
        "type": spec.type.value,
        "required": spec.required,
        "prefill": spec.prefill,
        "choices": list(spec.choices),
        "help": spec.help,
    }


def spec_from_definition(row: FormDefinition) -> FormSpec:
    kind = Kind(row.kind)
    return FormSpec(
        code=row.code,
        title=row.title,
        kind=kind,
        fields=tuple(field_from_dict(item) for item in row.fields),
        number_kind=row.number_kind,
        stage=row.stage,
        activity_types=tuple(row.activity_types),
        signature=row.signature,
        signers=tuple(row.signers),
        paginated=row.paginated,
        sealed=row.sealed or kind == Kind.SERVED,
        approval_step=row.approval_step or (DOCUMENT_STEP if kind == Kind.INTERNAL else ""),
        enforcement_decision=row.enforcement_decision,
        national=False,
    )


def _bureau_rows(active_only: bool) -> QuerySet[FormDefinition]:
    rows = FormDefinition.objects.all()
    return rows.filter(active=True) if active_only else rows


def all_forms(*, active_only: bool = True) -> list[FormSpec]:
    """Every form: the national set by number, then the bureau's forms by title."""
    builtin = builtin_forms()
    taken = {spec.code for spec in builtin}
    added = [spec_from_definition(r) for r in _bureau_rows(active_only) if r.code not in taken]
    return [*builtin, *added]


def get(code: str) -> FormSpec:
    """The form ``code``; KeyError if there is none (an inactive bureau form still is one:
    documents issued on it must stay readable)."""
    for spec in builtin_forms():
        if spec.code == code:
            return spec
    row = FormDefinition.objects.filter(code=code).first()
    if row is None:
        raise KeyError(code)
    return spec_from_definition(row)


def codes_where(test: Callable[[FormSpec], bool]) -> tuple[str, ...]:
    """The codes of every form, active or not, that passes ``test`` (to find documents of
    a kind by their ``form_code``)."""
    return tuple(spec.code for spec in all_forms(active_only=False) if test(spec))


def first_where(test: Callable[[FormSpec], bool]) -> FormSpec | None:
    """The first form, in catalogue order, that passes ``test``."""
    return next((spec for spec in all_forms() if test(spec)), None)


def needs_signature(spec: FormSpec) -> bool:
    """R9.1: the party checks and signs — the rule's list decides, a bureau form may add
    itself by its own flag."""
    listed = spec.code in set(rules.value("signature_required_document_kinds"))
    return listed or (not spec.national and spec.signature)


def for_stage(stage: str) -> list[FormSpec]:
    return [spec for spec in all_forms() if not spec.stage or spec.stage == stage]


def spec_to_dict(spec: FormSpec) -> dict[str, Any]:
    """The form as stored with an issued document (``IssuedDocument.form``)."""
    return {
        "code": spec.code,
        "title": spec.title,
        "kind": spec.kind.value,
        "fields": [field_to_dict(f) for f in spec.fields],
        "number": spec.number,
        "number_kind": spec.number_kind,
        "stage": spec.stage,
        "activity_types": list(spec.activity_types),
        "signature": spec.signature,
        "signers": list(spec.signers),
        "paginated": spec.paginated,
        "sealed": spec.sealed,
        "payment_qr": spec.payment_qr,
        "behaviours": list(spec.behaviours),
        "av_required": spec.av_required,
        "approval_step": spec.approval_step,
        "issued_after_approval": spec.issued_after_approval,
        "national": spec.national,
        "waivable_rights": [w.value for w in spec.waivable_rights],
        "numbering": spec.numbering.value,
        "enforcement_decision": spec.enforcement_decision,
        "receipt_role": spec.receipt_role.value,
        "service_clocks": [c.value for c in spec.service_clocks],
        "advance_notice": spec.advance_notice,
        "after_advance_notice": spec.after_advance_notice,
        "written_correction": spec.written_correction,
    }


def _behaviours(data: dict[str, Any]) -> tuple[str, ...]:
    if "behaviours" in data:
        return tuple(str(key) for key in data["behaviours"])
    # A snapshot from before behaviours were listed names the payment QR by its flag.
    return (PAYMENT_QR,) if data.get("payment_qr") else ()


def _enforcement_decision(data: dict[str, Any]) -> bool:
    if "enforcement_decision" in data:
        return bool(data["enforcement_decision"])
    # A snapshot from before the flag: the decisions were the forms barred from e-mail.
    return not data.get("email_service", True)


def spec_from_dict(data: dict[str, Any]) -> FormSpec:
    return FormSpec(
        code=data["code"],
        title=data["title"],
        kind=Kind(data["kind"]),
        fields=tuple(field_from_dict(item) for item in data["fields"]),
        number=data.get("number"),
        number_kind=data.get("number_kind", ""),
        stage=data.get("stage", ""),
        activity_types=tuple(data.get("activity_types", ())),
        signature=bool(data.get("signature")),
        signers=tuple(data.get("signers", ())),
        paginated=bool(data.get("paginated")),
        sealed=bool(data.get("sealed")),
        behaviours=_behaviours(data),
        av_required=bool(data.get("av_required")),
        approval_step=data.get("approval_step", ""),
        issued_after_approval=data.get("issued_after_approval", ""),
        national=bool(data.get("national", True)),
        waivable_rights=tuple(Waiver(w) for w in data.get("waivable_rights", ())),
        numbering=Numbering(data.get("numbering", Numbering.OWN)),
        enforcement_decision=_enforcement_decision(data),
        receipt_role=ReceiptRole(data.get("receipt_role", ReceiptRole.NONE)),
        service_clocks=tuple(ServiceClock(c) for c in data.get("service_clocks", ())),
        advance_notice=bool(data.get("advance_notice")),
        after_advance_notice=bool(data.get("after_advance_notice")),
        written_correction=bool(data.get("written_correction")),
    )


def spec_of_issued(issued: IssuedDocument) -> FormSpec:
    """The form an issued document was issued on (its snapshot; older rows: the catalog):
    what it prints."""
    return spec_from_dict(issued.form) if issued.form else get(issued.form_code)


def rules_of(issued: IssuedDocument) -> FormSpec:
    """The form whose behaviour applies to ``issued`` now (who may waive what on it, how it
    may be served, what its service starts): the catalogue's form of its code, as the law
    names forms; the snapshot only when the form is no longer known."""
    try:
        return get(issued.form_code)
    except KeyError:
        return spec_of_issued(issued)
