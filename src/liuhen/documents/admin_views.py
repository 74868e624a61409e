"""Configuration pages of the text records: the bureau's seal certificate (security
administrator, R18.2) and the bureau's own forms (system administrator, R6.1).

The pages parse what was typed or uploaded; :mod:`seal_actions` and :mod:`form_actions`
decide and record.
"""

from __future__ import annotations

import base64
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from liuhen.cases import approvals
from liuhen.cases.models import Stage
from liuhen.core import access
from liuhen.documents import catalog, form_actions, issuing, seal_actions
from liuhen.documents.form_actions import FormInput
from liuhen.documents.models import FieldTypeChoices, FormDefinition, KindChoices, SealCertificate
from liuhen.documents.perms import FormPerms, SealPerms

SEAL_HISTORY = 10  # earlier certificates listed under the current one


# --- seal certificate -------------------------------------------------------------------


class SealUploadForm(forms.Form):
    p12 = forms.FileField(
        label=_("Seal certificate (PKCS#12, .p12 or .pfx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".p12,.pfx", "class": "form-control"}),
    )
    passphrase = forms.CharField(
        label=_("Passphrase of the PKCS#12 file"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "class": "form-control"}),
    )
    image = forms.FileField(
        label=_("Seal image (PNG, optional)"),
        required=False,
        help_text=_("Without an image the seal is drawn from the bureau's name."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png", "class": "form-control"}),
    )
    ca_pem = forms.FileField(
        label=_("Trust root: the CA certificate (PEM, optional)"),
        required=False,
        help_text=_("The verification page checks seals against it."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pem,.crt,.cer", "class": "form-control"}
        ),
    )
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=200,
        help_text=_("Empty: the certificate's common name."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


def _read(upload: UploadedFile | None, limit: int) -> bytes | None:
    """The upload's bytes; one byte over ``limit`` is enough for the action to refuse it."""
    if upload is None:
        return None
    return bytes(upload.read(limit + 1))


# An action's field names that a page's form calls otherwise.
_FORM_NAMES = {"fields": "field_lines"}


def _apply(form: forms.BaseForm, error: ValidationError) -> None:
    """Show an action's refusal on the form, on the field it names when it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            name = _FORM_NAMES.get(field, field)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _image_uri(row: SealCertificate | None) -> str:
    if row is None or not row.image_id:
        return ""
    png = issuing.read_blob(row.image_id)
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


@login_required
def seal_page(request: HttpRequest) -> HttpResponse:
    access.require(request.user, SealPerms.MANAGE, request=request)
    form = SealUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            seal_actions.install_seal(
                request.user,
                p12=_read(data["p12"], seal_actions.P12_MAX_BYTES) or b"",
                passphrase=data["passphrase"],
                image_png=_read(data["image"], seal_actions.IMAGE_MAX_BYTES),
                ca_pem=_read(data["ca_pem"], seal_actions.CA_MAX_BYTES),
                name=data["name"],
                request=request,
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("The seal certificate is installed and seals from now on."))
            return redirect("documents:seal")
    current = issuing.active_seal()
    earlier = SealCertificate.objects.all()
    if current is not None:
        earlier = earlier.exclude(pk=current.pk)
    return render(
        request,
        "documents/seal.html",
        {
            "current": current,
            "image_uri": _image_uri(current),
            "earlier": earlier.select_related("uploaded_by")[:SEAL_HISTORY],
            "form": form,
        },
    )


# --- bureau forms -----------------------------------------------------------------------


def _choices(pairs: Any, *, blank: str | None = None) -> list[tuple[str, str]]:
    items = [(str(value), str(label)) for value, label in pairs]
    return [("", blank), *items] if blank is not None else items


def _approval_step_choices() -> list[tuple[str, str]]:
    return _choices([(key, step.label) for key, step in approvals.steps().items()], blank="—")


class BureauFormForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=64,
        help_text=_("Lower-case letters, digits and _; fixed once the form is saved."),
        widget=forms.TextInput(attrs={"class": "form-control", "autocapitalize": "off"}),
    )
    title = forms.CharField(
        label=_("Title as printed"),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=_choices(KindChoices.choices),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    number_kind = forms.CharField(
        label=_("Number kind (in the 文号)"),
        required=False,
        max_length=10,
        help_text=_("Empty: the form carries no document number."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    stage = forms.ChoiceField(
        label=_("Stage of the case"),
        required=False,
        choices=_choices(Stage.choices, blank="—"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    signature = forms.BooleanField(
        label=_("The party checks and signs it (R9.1)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    signers = forms.CharField(
        label=_("Signature lines"),
        required=False,
        help_text=_("One per line, e.g. 当事人, 执法人员."),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )
    paginated = forms.BooleanField(
        label=_("Page numbers (第 x 页 共 y 页)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    sealed = forms.BooleanField(
        label=_("Bears the bureau's seal"),
        required=False,
        help_text=_("A form served on the party is always sealed."),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    approval_step = forms.ChoiceField(
        label=_("Approval step (internal forms)"),
        required=False,
        choices=_approval_step_choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    active = forms.BooleanField(
        label=_("Active (offered for new documents)"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    # Not "fields": a Django form keeps its fields under that name.
    field_lines = forms.CharField(
        label=_("Fields"),
        help_text=_(
            "One field per line: name|label|type|required|prefill, e.g. "
            "party_name|当事人|text|yes|party.name. A choice field adds its choices, an items "
            "table its columns, after a sixth |, separated by ;."
        ),
        widget=forms.Textarea(attrs={"class": "form-control font-monospace", "rows": 12}),
    )

    def as_input(self) -> FormInput:
        data = self.cleaned_data
        return FormInput(
            title=data["title"],
            kind=data["kind"],
            fields=data["field_lines"],
            number_kind=data["number_kind"],
            stage=data["stage"],
            signature=data["signature"],
            signers=data["signers"],
            paginated=data["paginated"],
            sealed=data["sealed"],
            approval_step=data["approval_step"],
            active=data["active"],
        )


def _form_reference() -> dict[str, Any]:
    """What the page lists beside the field box: the types and prefill keys."""
    from liuhen.documents.prefill import KEYS

    return {"field_types": FieldTypeChoices.choices, "prefill_keys": sorted(KEYS)}


def _form_row(spec: Any, row: FormDefinition | None = None) -> dict[str, Any]:
    return {
        "spec": spec,
        "row": row,
        "kind": dict(KindChoices.choices).get(spec.kind, spec.kind),
        "stage": dict(Stage.choices).get(spec.stage, spec.stage),
    }


@login_required
def forms_page(request: HttpRequest) -> HttpResponse:
    access.require(request.user, FormPerms.MANAGE, request=request)
    bureau = {row.code: row for row in FormDefinition.objects.all()}
    specs = catalog.all_forms(active_only=False)
    return render(
        request,
        "documents/forms.html",
        {
            "national": [_form_row(spec) for spec in specs if spec.national],
            "bureau": [_form_row(spec, bureau[spec.code]) for spec in specs if spec.code in bureau],
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
    if request.method == "POST" and form.is_valid():
        try:
            row = form_actions.create_form(
                request.user, code=form.cleaned_data["code"], data=form.as_input(), request=request
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("The form is added."))
            return redirect("documents:form_edit", pk=row.pk)
    return render(
        request,
        "documents/form_edit.html",
        {"form": form, "row": None, **_form_reference()},
    )


@login_required
def form_edit_page(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, FormPerms.MANAGE, request=request)
    row = get_object_or_404(FormDefinition, pk=pk)
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
        "active": row.active,
        "field_lines": form_actions.fields_as_lines(row.fields),
    }
    form = BureauFormForm(request.POST or None, initial=initial)
    form.fields["code"].disabled = True  # fixed: issued documents name their form by it
    if request.method == "POST" and form.is_valid():
        try:
            form_actions.update_form(request.user, row, data=form.as_input(), request=request)
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("The form is saved."))
            return redirect("documents:form_edit", pk=row.pk)
    return render(
        request,
        "documents/form_edit.html",
        {"form": form, "row": row, **_form_reference()},
    )
