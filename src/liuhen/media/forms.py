"""Input of the AV record pages: the disposal request and decision forms (R18.4). What
they mean is checked by the actions (``media.actions.retention``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy


class RequestForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the disposal"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control form-control-lg"}),
    )


class DecisionForm(forms.Form):
    # Set by the button pressed: approve (1) or reject (0).
    approved = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1"
    )
    opinion = forms.CharField(
        label=gettext_lazy("Opinion"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control form-control-lg"}),
    )
