"""Forms of the lead pages: recording a lead and proposing its filing decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from liuhen.accounts.models import User
from liuhen.cases.forms import EnforcementFieldChoice, StyledForm
from liuhen.cases.forms.assignment import unit_officers
from liuhen.cases.models import LeadSource
from liuhen.core import rules


class LeadForm(StyledForm):
    source = forms.ChoiceField(label=_("Source"), choices=LeadSource.choices)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))
    violation_date = forms.DateField(
        label=_("Date of the act"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Used for the limitation warning at filing."),
    )


class FilingForm(StyledForm):
    title = forms.CharField(label=_("Case title"), max_length=300)
    field = EnforcementFieldChoice(initial="农药")
    # R4.1: the officers named in the filing approval become the case's officers.
    officers = forms.ModelMultipleChoiceField(
        label=_("Other officers of the case"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: Any = None, unit: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        officers = self.fields["officers"]
        assert isinstance(officers, forms.ModelMultipleChoiceField)
        officers.queryset = unit_officers(user, unit).exclude(pk=getattr(user, "pk", 0))
        officers.help_text = _(
            "With you, at least %(min)d officers holding an enforcement certificate valid "
            "today (Administrative Penalty Law Art. 42)."
        ) % {"min": int(rules.value("min_officers_on_site"))}


class DeclineForm(StyledForm):
    note = forms.CharField(
        label=_("Reason for not filing"), widget=forms.Textarea(attrs={"rows": 2})
    )
