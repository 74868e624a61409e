"""Forms of the payment page (they read input; ``payment_actions`` decides)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liuhen.cases.forms import StyledForm
from liuhen.delivery.models import ProceedingKind


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProceedingForm(StyledForm):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ProceedingKind.choices)
    started_on = forms.DateField(
        label=gettext_lazy("Applied for or filed on"),
        widget=_date_input(),
        help_text=gettext_lazy("The late surcharge does not accrue from this day (Art. 73)."),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("E.g. the reviewing body or court and its case number."),
    )


class ProceedingEndForm(StyledForm):
    ended_on = forms.DateField(label=gettext_lazy("Ended on"), widget=_date_input())
    outcome = forms.CharField(
        label=gettext_lazy("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def _fen(text: str) -> int:
    """Yuan as typed (1234.5) in fen (123450): two decimals at most, never a float."""
    try:
        amount = Decimal(text.replace(",", "").lstrip("¥￥"))
    except InvalidOperation:
        raise forms.ValidationError(
            _("%(text)s is not an amount in yuan.") % {"text": text}
        ) from None
    fen = amount * 100
    if not amount.is_finite() or fen != fen.to_integral_value():
        raise forms.ValidationError(_("%(text)s is not an amount in yuan.") % {"text": text})
    return int(fen)


def parse_instalments(text: str) -> list[tuple[dt.date, int]]:
    """One instalment a line: its due date (YYYY-MM-DD) and amount in yuan."""
    found = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 2:
            raise forms.ValidationError(
                _("Write each instalment on its own line: due date and amount, e.g. %(example)s.")
                % {"example": "2026-12-31 1000.00"}
            )
        try:
            due_on = dt.date.fromisoformat(parts[0])
        except ValueError:
            raise forms.ValidationError(
                _("%(text)s is not a date (YYYY-MM-DD).") % {"text": parts[0]}
            ) from None
        found.append((due_on, _fen(parts[1])))
    return found


class DeferralForm(StyledForm):
    notice = forms.ChoiceField(label=gettext_lazy("Payment notice"))
    reason = forms.CharField(
        label=gettext_lazy("The party's reason"), widget=forms.Textarea(attrs={"rows": 3})
    )
    instalments = forms.CharField(
        label=gettext_lazy("Instalments"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "One line each: due date and amount in yuan, e.g. 2026-12-31 1000.00. "
            "One line for a deferral; together they make the amount outstanding."
        ),
    )

    def __init__(self, *args: Any, notices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["notice"].choices = notices  # type: ignore[attr-defined]

    def clean_instalments(self) -> list[tuple[dt.date, int]]:
        return parse_instalments(self.cleaned_data["instalments"])
