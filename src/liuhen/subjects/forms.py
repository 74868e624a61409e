"""Forms for entering and searching subjects; validation proper lives in the actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from liuhen.core.confidentiality import Confidentiality
from liuhen.subjects.actions import KIND_FIELDS
from liuhen.subjects.models import SubjectKind


class SubjectForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SubjectKind.choices)
    name = forms.CharField(label=_("Name or full name"), max_length=200)
    legal_representative = forms.CharField(
        label=_("Legal representative"), max_length=100, required=False
    )
    uscc = forms.CharField(
        label=_("Unified social credit code"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    resident_id = forms.CharField(
        label=_("Resident identity card number"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    plate = forms.CharField(label=_("Plate or registration number"), max_length=40, required=False)
    project_code = forms.CharField(label=_("Project code"), max_length=60, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    phone = forms.CharField(
        label=_("Telephone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"),
        choices=Confidentiality.choices,
        initial=Confidentiality.ORDINARY,
        required=False,  # not sent: ordinary
    )

    def __init__(self, *args: Any, fixed_kind: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if fixed_kind is not None:  # editing: the kind of a record does not change
            self.fields["kind"].disabled = True
            self.fields["kind"].initial = fixed_kind
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def current_kind(self) -> str:
        value = self["kind"].value()
        return value if value in SubjectKind.values else SubjectKind.UNIT

    def kind_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in KIND_FIELDS[self.current_kind()]]

    def common_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("address", "phone", "confidentiality")]

    def action_values(self) -> dict[str, Any]:
        """The cleaned values the kind uses, as keyword arguments of the actions."""
        data = self.cleaned_data
        kind = self.current_kind()
        names = ("address", "phone", "confidentiality", *KIND_FIELDS[kind])
        return {name: data.get(name, "") for name in names}
