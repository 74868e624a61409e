"""Forms of the lead pages: recording a lead and proposing its filing decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from liuhen.cases.models import LeadSource


class LeadForm(forms.Form):
    source = forms.ChoiceField(label=_("Source"), choices=LeadSource.choices)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))
    violation_date = forms.DateField(
        label=_("Date of the act"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Used for the limitation warning at filing."),
    )


class FilingForm(forms.Form):
    title = forms.CharField(label=_("Case title"), max_length=300)
    field = forms.CharField(label=_("Field of enforcement"), max_length=20, initial="农药")
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DeclineForm(forms.Form):
    note = forms.CharField(
        label=_("Reason for not filing"), widget=forms.Textarea(attrs={"rows": 2})
    )
