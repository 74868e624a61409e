"""Forms of the system admin's rules and calendar pages (R2.1)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from liuhen.core.models import DayKind
from liuhen.core.rule_types import Kind, Rule

REASON_WIDGET = forms.Textarea(attrs={"rows": 2, "class": "form-control"})


class RuleForm(forms.Form):
    value = forms.CharField(label=_("New value"), max_length=2000)
    reason = forms.CharField(label=_("Reason for the change"), widget=REASON_WIDGET)

    def __init__(self, *args: Any, rule: Rule, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["value"]
        if rule.kind == Kind.CHOICE:
            self.fields["value"] = forms.ChoiceField(
                label=field.label,
                choices=[(choice, choice) for choice in rule.choices],
                widget=forms.Select(attrs={"class": "form-select"}),
            )
        else:
            field.widget.attrs["class"] = "form-control"
            if rule.kind == Kind.CODES and rule.choice_labels:
                field.help_text = format_lazy(
                    "{} {}",
                    _("Codes separated by commas, in order.")
                    if rule.ordered
                    else _("Codes separated by commas."),
                    "; ".join(f"{code} = {label}" for code, label in rule.choice_labels),
                )
            elif rule.kind == Kind.CODES:
                field.help_text = _("Codes separated by commas.")
        if not self.is_bound:
            current = rule.value
            self.initial["value"] = ", ".join(current) if rule.kind == Kind.CODES else str(current)


class ResetForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the reset"), widget=REASON_WIDGET)


class CalendarDayForm(forms.Form):
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=DayKind.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    name = forms.CharField(
        label=_("Holiday name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    reason = forms.CharField(label=_("Reason"), widget=REASON_WIDGET)


class RemoveDayForm(forms.Form):
    date = forms.DateField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.TextInput(attrs={"class": "form-control form-control-sm"})
    )


class YearForm(forms.Form):
    year = forms.IntegerField(widget=forms.HiddenInput)
    complete = forms.BooleanField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.TextInput(attrs={"class": "form-control"})
    )
