"""Input parsing of the publication pages (validation proper is the actions')."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liuhen.disclosure.actions.publishing import PENALTY_MAX, REASON_MAX
from liuhen.disclosure.models import ChangeGround


class ChangeForm(forms.Form):
    ground = forms.ChoiceField(
        label=pgettext_lazy("publication", "Ground"),
        choices=ChangeGround.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    ground_on = forms.DateField(
        label=_("Date of the ground"),
        widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )


class CorrectionForm(ChangeForm):
    penalty = forms.CharField(
        label=_("Penalty as changed"),
        max_length=PENALTY_MAX,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class AnnualForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"), widget=forms.NumberInput(attrs={"class": "form-control"})
    )


class TextsForm(forms.Form):
    """The 事前公示 texts; required fields are the action's to check."""

    duties = forms.CharField(
        label=_("Duties"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}),
    )
    channels = forms.CharField(
        label=_("Supervision and complaint channels"),
        required=False,
        help_text=_("One channel per line."),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}),
    )
    flowchart = forms.CharField(
        label=_("Flowchart of the ordinary procedure"),
        required=False,
        help_text=_("One step per line; left empty, the built-in steps are shown."),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 7}),
    )
    procedures = forms.CharField(
        label=_("Other procedures and the party's rights"),
        required=False,
        help_text=_("Left empty, the built-in text is shown."),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 5}),
    )
