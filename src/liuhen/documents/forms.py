"""The screens' forms: one Django form per document form (built from its FormSpec), the
paper-scan upload form (R3.2), the signing screen's forms (R9), and the administrators'
forms of the seal certificate (R18.2) and of bureau forms (R6.1).

The document form checks nothing itself: the actions do (``values.clean``: types when
saving, required fields at issue and submission, R6.1), and their ValidationError dict is
put back onto the fields by ``core.panels.show_refusal``. Required fields are marked, but the
browser is not told to enforce them — a half-filled draft must still save.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from liuhen.cases import approvals
from liuhen.cases.models import Stage
from liuhen.core.forms import local_minute_field
from liuhen.documents.catalog.bureau import FormInput
from liuhen.documents.issuing.signatures import WAIVER_LABELS
from liuhen.documents.models import KindChoices
from liuhen.documents.spec import FieldSpec, FieldType, FormSpec

ITEMS_HELP = _("One row per line, cells separated by |")
# How prefill writes dates and times (documents/prefill.py: 2026年11月28日 10时30分).
_CHINESE_DATE = re.compile(r"^\s*(\d{4})年(\d{1,2})月(\d{1,2})日\s*$")
_CHINESE_DATETIME = re.compile(
    r"^\s*(\d{4})年(\d{1,2})月(\d{1,2})日\s*(\d{1,2})[时:：](\d{1,2})分?\s*$"
)


def as_date_input(value: str) -> str | None:
    """``value`` as an ``<input type=date>`` value (YYYY-MM-DD), None if it is no date."""
    value = (value or "").strip()
    if not value:
        return ""
    match = _CHINESE_DATE.match(value)
    try:
        if match:
            return dt.date(*(int(part) for part in match.groups())).isoformat()
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        return None


def as_datetime_input(value: str) -> str | None:
    """``value`` as an ``<input type=datetime-local>`` value, None if it is no date and time."""
    value = (value or "").strip()
    if not value:
        return ""
    match = _CHINESE_DATETIME.match(value)
    try:
        if match:
            year, month, day, hour, minute = (int(part) for part in match.groups())
            moment = dt.datetime(year, month, day, hour, minute)
        else:
            moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.strftime("%Y-%m-%dT%H:%M")


def _text_input(**attrs: str) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "form-control form-control-lg", **attrs})


def _date_widget(field: FieldSpec, shown: str) -> tuple[forms.Widget, str]:
    """A date (time) picker when the value fits one; a value typed by hand in another way
    keeps a text box, so that nothing typed is lost by a picker that cannot show it."""
    if field.type == FieldType.DATE:
        converted = as_date_input(shown)
        widget_type = "date"
    else:
        converted = as_datetime_input(shown)
        widget_type = "datetime-local"
    if converted is None:
        return _text_input(), shown
    return forms.DateInput(
        attrs={"class": "form-control form-control-lg", "type": widget_type}
    ), converted


def _widget(field: FieldSpec, shown: str) -> tuple[forms.Widget, str]:
    """The widget for ``field`` and the value it shows."""
    if field.type in (FieldType.TEXTAREA, FieldType.ITEMS):
        rows = "6" if field.type == FieldType.ITEMS else "4"
        return forms.Textarea(attrs={"class": "form-control", "rows": rows}), shown
    if field.type in (FieldType.DATE, FieldType.DATETIME):
        return _date_widget(field, shown)
    if field.type == FieldType.INTEGER:
        return _text_input(inputmode="numeric"), shown
    if field.type == FieldType.MONEY:
        return _text_input(inputmode="decimal"), shown
    if field.type == FieldType.CHOICE:
        choices = [("", "—"), *((choice, choice) for choice in field.choices)]
        if shown and shown not in field.choices:
            choices.append((shown, shown))  # shown as it is; saving says it is not listed
        return forms.Select(attrs={"class": "form-select form-select-lg"}, choices=choices), shown
    return _text_input(), shown


def _help(field: FieldSpec) -> str:
    parts = [field.help] if field.help else []
    if field.type == FieldType.ITEMS:
        parts.append(str(ITEMS_HELP))
        if field.choices:
            parts.append(" | ".join(field.choices))
    return " · ".join(parts)


class DocumentForm(forms.Form):
    """The fields of ``spec``, labelled as printed, pre-filled with ``values``."""

    use_required_attribute = False

    def __init__(
        self,
        spec: FormSpec,
        values: Mapping[str, Any],
        data: Mapping[str, Any] | None = None,
        *,
        read_only: bool = False,
    ) -> None:
        super().__init__(data=data)
        self.spec = spec
        self.required_names = {field.name for field in spec.fields if field.required}
        for field in spec.fields:
            stored = str(values.get(field.name, "") or "")
            submitted = data.get(field.name) if data is not None and not read_only else None
            widget, shown = _widget(field, stored if submitted is None else str(submitted))
            self.fields[field.name] = forms.CharField(
                label=field.label,
                required=False,
                strip=False,
                widget=widget,
                help_text=_help(field),
                disabled=read_only,
            )
            self.initial[field.name] = shown

    def values(self) -> dict[str, str]:
        """What was typed, for ``actions.save_draft`` (which checks it)."""
        if not self.is_bound:
            return {name: str(value) for name, value in self.initial.items()}
        self.is_valid()
        return {name: str(self.cleaned_data.get(name) or "") for name in self.fields}


# --- paper scans (R3.2) --------------------------------------------------------------------

SCAN_ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG", "image/png"),
)


def sniff_content_type(head: bytes, declared: str) -> str:
    """The type the file's first bytes show; the browser's word only when they show none
    (the action then refuses it)."""
    for magic, content_type in _MAGIC:
        if head.startswith(magic):
            return content_type
    return declared or "application/octet-stream"


class ScanForm(forms.Form):
    """A scanned paper record: which form it is, the file, its number, date and a note."""

    use_required_attribute = False

    form_code = forms.ChoiceField(
        label=_("Form"), widget=forms.Select(attrs={"class": "form-select form-select-lg"})
    )
    file = forms.FileField(
        label=_("Scan (PDF, JPEG or PNG)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": SCAN_ACCEPT}),
    )
    number = forms.CharField(
        label=_("Document number (文号) on the paper"),
        required=False,
        max_length=60,
        widget=_text_input(),
    )
    issued_on = forms.DateField(
        label=_("Date on the paper"),
        required=False,
        widget=forms.DateInput(attrs={"class": "form-control form-control-lg", "type": "date"}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )

    def __init__(
        self, groups: Iterable[tuple[str | Promise, list[FormSpec]]], *args: Any, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        choice_field: Any = self.fields["form_code"]
        choice_field.choices = [
            ("", "—"),
            *((str(label), [(spec.code, spec.title) for spec in specs]) for label, specs in groups),
        ]


# --- the signing screen (R9.1, R9.2, R8.2) ---------------------------------------------------

_INPUT = {"class": "form-control form-control-lg"}


class SignForm(forms.Form):
    # Required-ness is the action's (one set of messages, R9.1); the form only parses.
    role = forms.CharField(label=_("Signs as"), required=False, max_length=30)
    name = forms.CharField(
        label=_("Full name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(_INPUT),
    )
    opinion = forms.CharField(
        label=_("Opinion"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({**_INPUT, "rows": 2}),
    )
    signature = forms.CharField(required=False, widget=forms.HiddenInput)
    waivers = forms.MultipleChoiceField(
        label=_("Waiver of rights"),
        required=False,
        choices=list(WAIVER_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
    )


class OfficerSignForm(forms.Form):
    """An officer's own line: the pad's strokes, or the enrolled image with the password."""

    PAD = "pad"
    ENROLLED = "enrolled"

    role = forms.CharField(label=_("Line"), required=False, max_length=30)
    method = forms.ChoiceField(
        choices=[(PAD, _("Sign on the pad")), (ENROLLED, _("Use my enrolled signature"))],
        required=False,
    )
    signature = forms.CharField(required=False, widget=forms.HiddenInput)
    password = forms.CharField(
        label=_("Your password"),
        required=False,
        strip=False,
        max_length=128,
        widget=forms.PasswordInput({**_INPUT, "autocomplete": "current-password"}),
    )


class EnrolSignatureForm(forms.Form):
    signature = forms.CharField(required=False, widget=forms.HiddenInput)


class RefuseForm(forms.Form):
    role = forms.CharField(label=_("Who refused"), required=False, max_length=30)
    refused = forms.CharField(
        label=_("What was refused"),
        required=False,
        max_length=500,
        widget=forms.TextInput(_INPUT),
    )
    circumstances = forms.CharField(
        label=_("Circumstances"),
        required=False,
        max_length=4000,
        widget=forms.Textarea({**_INPUT, "rows": 3}),
    )
    refused_at = local_minute_field(_("Refused at"), attrs=_INPUT)


# --- the seal certificate (R18.2) ------------------------------------------------------------


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


# --- bureau forms (R6.1) ---------------------------------------------------------------------


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
        label=_("The party checks and signs it (basis: the recording rules, Art. 9)"),
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
    enforcement_decision = forms.BooleanField(
        label=_("Enforcement decision (行政执法决定书)"),
        required=False,
        help_text=_(
            "Tick for a decision served on the party: it is never served by self-download on "
            "the government service portal, fax or e-mail (the recording regulation, Art. "
            "10(4)). Other documents may go electronically with the party's consent."
        ),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
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
            "<code>party_name|当事人|text|yes|party.name</code>. A choice field adds its "
            "choices, an items table its columns, after a sixth |, separated by ;."
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
            enforcement_decision=data["enforcement_decision"],
            active=data["active"],
        )
