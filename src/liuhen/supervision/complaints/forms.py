"""Input parsing of the complaint pages (validation proper is the actions')."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from liuhen.accounts.models import Role, Unit, User
from liuhen.core.forms import local_minute_field
from liuhen.supervision.models import ComplaintChannel, ReplayOutcome


def officers_who_may_be_named() -> forms.ModelMultipleChoiceField:
    # The organisation's officers are not confidential to those who handle complaints.
    officers = (
        User.objects.filter(is_active=True, role_grants__role__in=(Role.OFFICER, Role.UNIT_HEAD))
        .distinct()
        .order_by("unit_id", "full_name")
    )
    return forms.ModelMultipleChoiceField(
        label=_("Officers named"),
        queryset=officers,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ComplaintForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=ComplaintChannel.choices)
    complainant = forms.CharField(label=_("Complainant"), max_length=100)
    contact = forms.CharField(label=_("Contact"), max_length=100, required=False)
    received_at = local_minute_field(_("Received at"))
    occurred_from = local_minute_field(_("Happened from"))
    occurred_to = local_minute_field(_("Happened until"))
    place = forms.CharField(label=_("Place"), max_length=300)
    unit = forms.ModelChoiceField(
        label=_("Unit complained of"),
        queryset=Unit.objects.filter(active=True).order_by("id"),
        required=False,
        empty_label=_("The named officers' unit"),
    )
    summary = forms.CharField(label=_("What the complaint says"), widget=forms.Textarea)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["officers"] = officers_who_may_be_named()
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs.setdefault("class", "form-control form-control-lg")


class ReplayForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=ReplayOutcome.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("What the footage shows"),
        widget=forms.Textarea(attrs={"class": "form-control form-control-lg", "rows": 5}),
    )
