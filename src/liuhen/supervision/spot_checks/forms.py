"""The forms of the spot-check pages: a plan, and the review of one sampled record."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liuhen.accounts.models import Unit
from liuhen.supervision.models import Answer, PlanPeriod
from liuhen.supervision.spot_checks import checklist


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Plan title"), max_length=200)
    period = forms.ChoiceField(
        label=_("Check period"), choices=PlanPeriod.choices, initial=PlanPeriod.QUARTERLY
    )
    period_start = forms.DateField(
        label=_("A day in the period"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The month or quarter this day falls in is checked."),
    )
    units: forms.ModelMultipleChoiceField[Unit] = forms.ModelMultipleChoiceField(
        label=_("Units"), queryset=Unit.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    sample_percent = forms.IntegerField(
        label=_("Percentage per unit"), required=False, min_value=1, max_value=100
    )
    sample_count = forms.IntegerField(label=_("Or records per unit"), required=False, min_value=1)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units  # type: ignore[attr-defined]
        self.fields["period_start"].initial = timezone.localdate()
        for name in ("title", "period_start", "sample_percent", "sample_count"):
            self.fields[name].widget.attrs["class"] = "form-control form-control-lg"


ANSWER_CHOICES = [(value, label) for value, label in Answer.choices]


class ReviewForm(forms.Form):
    prohibitions = forms.MultipleChoiceField(
        label=_("Prohibited acts seen"),
        required=False,
        choices=[(item.code, item.text) for item in checklist.ART14],
        widget=forms.CheckboxSelectMultiple,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control form-control-lg"}),
    )

    def __init__(self, *args: Any, items: tuple[checklist.Item, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"item_{item.code}"] = forms.ChoiceField(
                label=str(item.text),
                choices=ANSWER_CHOICES,
                widget=forms.RadioSelect,
                initial=Answer.NOT_APPLICABLE if item.conditional else None,
            )
        order = [f"item_{item.code}" for item in items] + ["prohibitions", "comment"]
        self.order_fields(order)

    def answers(self) -> dict[str, str]:
        return {item.code: self.cleaned_data[f"item_{item.code}"] for item in self.items}

    def item_fields(self) -> list[Any]:
        return [self[f"item_{item.code}"] for item in self.items]
