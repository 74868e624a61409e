"""The licence entry form of the subject page (validation proper is the action's)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from liuhen.subjects.models import LicenceStatus, LicenceType


class LicenceForm(forms.Form):
    prefix = "licence"
    licence_type = forms.ModelChoiceField(
        label=_("Licence type"), queryset=LicenceType.objects.filter(active=True)
    )
    number = forms.CharField(label=_("Licence number"), max_length=60)
    issuer = forms.CharField(label=_("Issuing authority"), max_length=100, required=False)
    valid_from = forms.DateField(
        label=_("Valid from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    scope = forms.CharField(label=_("Licensed scope"), max_length=500, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=LicenceStatus.choices, initial=LicenceStatus.VALID
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-control form-control-lg")
