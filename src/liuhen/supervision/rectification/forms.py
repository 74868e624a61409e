"""Input parsing of the findings, rectification, accountability and guidance pages
(validation proper is the actions')."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liuhen.accounts.models import ADMIN_ROLES, Role, Unit, User
from liuhen.core import rules
from liuhen.supervision.models import Verdict


def enforcement_people() -> Any:
    """Officers and unit heads, who may answer for a rectification or be held responsible:
    the supervisor chooses among every unit's people."""
    people = User.objects.filter(
        is_active=True, role_grants__role__in=(Role.OFFICER, Role.UNIT_HEAD)
    ).exclude(role_grants__role__in=ADMIN_ROLES)
    return people.distinct().select_related("unit").order_by("unit_id", "username")


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        unit = obj.unit.name if obj.unit else ""
        return f"{obj.display_name}（{unit}）" if unit else str(obj.display_name)


TEXT = {"class": "form-control form-control-lg"}
AREA = {"class": "form-control form-control-lg", "rows": 3}
DATE = {"class": "form-control form-control-lg", "type": "date"}


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for dismissing"), widget=forms.Textarea(attrs=AREA), max_length=2000
    )


def default_deadline() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=int(rules.value("rectification_period")))


class OrderForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=Unit.objects.none(), empty_label=None
    )
    responsible = PersonChoice(
        label=_("Responsible person"), queryset=User.objects.none(), empty_label=None
    )
    requirement = forms.CharField(
        label=_("What must be rectified"), widget=forms.Textarea(attrs=AREA), max_length=4000
    )
    deadline = forms.DateField(
        label=_("Rectify by"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, units: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units
        person_field = self.fields["responsible"]
        assert isinstance(person_field, forms.ModelChoiceField)
        person_field.queryset = people


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"class": "form-control form-control-lg"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    text = forms.CharField(
        label=pgettext_lazy("rectification", "What was done"),
        widget=forms.Textarea(attrs=AREA),
        max_length=4000,
    )
    evidence = MultipleFileField(label=_("Evidence (photos, scans, documents)"), required=False)


class VerifyForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Verdict"), choices=Verdict.choices)
    note = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs=AREA), max_length=2000)


class AccountabilityForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), empty_label=None)
    person = PersonChoice(
        label=_("Person held responsible"), queryset=User.objects.none(), required=False
    )
    facts = forms.CharField(
        label=pgettext_lazy("accountability", "Facts"),
        widget=forms.Textarea(attrs=AREA),
        max_length=4000,
    )
    rule = forms.CharField(
        label=_("Rule broken"), widget=forms.TextInput(attrs=TEXT), max_length=300
    )
    decision = forms.CharField(
        label=pgettext_lazy("accountability", "Decision"),
        widget=forms.Textarea(attrs=AREA),
        max_length=4000,
    )
    decision_document = forms.CharField(
        label=_("Decision document (number)"), widget=forms.TextInput(attrs=TEXT), max_length=200
    )
    decided_on = forms.DateField(
        label=_("Decided on"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, units: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units
        person_field = self.fields["person"]
        assert isinstance(person_field, forms.ModelChoiceField)
        person_field.queryset = people


class GuidanceForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), empty_label=None)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs=AREA),
        max_length=2000,
        required=False,
        help_text=_("Needed when the unit crosses no threshold."),
    )
    plan = forms.CharField(
        label=_("Guidance plan"), widget=forms.Textarea(attrs=AREA), max_length=4000
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units


class FollowUpForm(forms.Form):
    note = forms.CharField(label=_("Follow-up"), widget=forms.Textarea(attrs=AREA), max_length=4000)
    concludes = forms.BooleanField(
        label=_("The unit no longer needs focused guidance"), required=False
    )
