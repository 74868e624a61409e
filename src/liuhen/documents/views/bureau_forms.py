"""The bureau's own forms (R6.1): the system administrator lists the standard catalogue and
the bureau's forms, reads a standard form, adds and edits bureau forms. The pages parse what
was typed; the actions decide and record."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from liuhen.cases.models import Stage
from liuhen.core import access, panels
from liuhen.documents.actions import bureau_forms
from liuhen.documents.catalog import bureau, catalog
from liuhen.documents.catalog.prefill import KEYS
from liuhen.documents.forms import BureauFormForm
from liuhen.documents.models import FieldTypeChoices, FormDefinition, KindChoices
from liuhen.documents.perms import FormPerms
from liuhen.documents.spec import FormSpec
from liuhen.documents.views.helpers import acting_user

# An action's field names that the page's form calls otherwise.
_FORM_NAMES = {"fields": "field_lines"}


def _form_reference() -> dict[str, Any]:
    """What the page lists beside the field box: the types and prefill keys."""
    return {"field_types": FieldTypeChoices.choices, "prefill_keys": sorted(KEYS)}


def _form_row(spec: FormSpec, row: FormDefinition | None = None) -> dict[str, Any]:
    return {
        "spec": spec,
        "row": row,
        "kind": dict(KindChoices.choices).get(spec.kind, spec.kind),
        "stage": dict(Stage.choices).get(spec.stage, spec.stage),
    }


@login_required
def forms_page(request: HttpRequest) -> HttpResponse:
    access.require(request.user, FormPerms.MANAGE, request=request)
    rows = access.visible(request.user, FormDefinition.objects.all())
    by_code = {row.code: row for row in rows}
    specs = catalog.all_forms(active_only=False)
    return render(
        request,
        "documents/forms.html",
        {
            "national": [_form_row(spec) for spec in specs if spec.national],
            "bureau": [
                _form_row(spec, by_code[spec.code]) for spec in specs if spec.code in by_code
            ],
        },
    )


@login_required
def form_view_page(request: HttpRequest, code: str) -> HttpResponse:
    """A form of the standard catalog, read-only."""
    access.require(request.user, FormPerms.MANAGE, request=request)
    spec = next((s for s in catalog.builtin_forms() if s.code == code), None)
    if spec is None:
        raise Http404(code)
    return render(
        request,
        "documents/form_view.html",
        {
            **_form_row(spec),
            "fields": [
                (field, dict(FieldTypeChoices.choices).get(field.type, field.type))
                for field in spec.fields
            ],
        },
    )


@login_required
def form_create_page(request: HttpRequest) -> HttpResponse:
    access.require(request.user, FormPerms.MANAGE, request=request)
    form = BureauFormForm(request.POST or None)

    def create(data: dict[str, Any]) -> FormDefinition:
        return bureau_forms.create_form(
            acting_user(request), code=data["code"], data=form.as_input(), request=request
        )

    created = panels.submit(request, form, create, _("The form is added."), _FORM_NAMES)
    if created is not None:
        return redirect("documents:form_edit", pk=created.pk)
    return render(
        request,
        "documents/form_edit.html",
        {"form": form, "row": None, **_form_reference()},
    )


@login_required
def form_edit_page(request: HttpRequest, pk: int) -> HttpResponse:
    # Configuration pages answer 403 to whoever may not manage forms at all.
    access.require(request.user, FormPerms.MANAGE, request=request)
    row = access.get_visible_or_404(
        request.user, FormDefinition, action=FormPerms.MANAGE, request=request, pk=pk
    )
    initial = {
        "code": row.code,
        "title": row.title,
        "kind": row.kind,
        "number_kind": row.number_kind,
        "stage": row.stage,
        "signature": row.signature,
        "signers": "\n".join(row.signers),
        "paginated": row.paginated,
        "sealed": row.sealed,
        "approval_step": row.approval_step,
        "enforcement_decision": row.enforcement_decision,
        "active": row.active,
        "field_lines": bureau.fields_as_lines(row.fields),
    }
    form = BureauFormForm(request.POST or None, initial=initial)
    form.fields["code"].disabled = True  # fixed: issued documents name their form by it

    def update(data: dict[str, Any]) -> FormDefinition:
        return bureau_forms.update_form(
            acting_user(request), row, data=form.as_input(), request=request
        )

    if panels.submit(request, form, update, _("The form is saved."), _FORM_NAMES) is not None:
        return redirect("documents:form_edit", pk=row.pk)
    return render(
        request,
        "documents/form_edit.html",
        {"form": form, "row": row, **_form_reference()},
    )
