"""Forms of core's pages: the audit log search (R1.1) and the system admin's rules and
calendar (R2.1). They parse input; the actions validate and change. Also the local date
and time field that other apps' forms use."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liuhen.core.models import DayKind, Outcome
from liuhen.core.rule_types import Kind, Rule

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# What an <input type=datetime-local> sends (with seconds or without), or typed by hand.
DATETIME_INPUT = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
# A bound of a search: a date alone means its midnight.
_SEARCH_INPUT = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]


def local_minute_field(
    label: StrOrPromise,
    *,
    required: bool = True,
    input_formats: list[str] = DATETIME_INPUT,
    attrs: Mapping[str, str] | None = None,
) -> forms.DateTimeField:
    """A local date and time to the minute, entered in an ``<input type=datetime-local>``
    (``attrs``: the input's other attributes, such as its class)."""
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=input_formats,
        widget=forms.DateTimeInput(
            attrs={**(attrs or {}), "type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
    )


class EventFilterForm(forms.Form):
    """Search of the audit log. Times are local (Asia/Shanghai), stored UTC."""

    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    action = forms.CharField(label=_("Action"), required=False, max_length=80)
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=80)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    case_id = forms.IntegerField(label=_("Case id"), required=False, min_value=1)
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("Any outcome")), *Outcome.choices],
    )
    time_from = local_minute_field(_("Time from"), required=False, input_formats=_SEARCH_INPUT)
    time_to = local_minute_field(_("Time to"), required=False, input_formats=_SEARCH_INPUT)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field, forms.ChoiceField)
                else ("form-control form-control-sm")
            )
            field.widget.attrs.setdefault("class", css)


# --- legal rules and calendar -----------------------------------------------------

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
                choices=[(choice, rule.display(choice)) for choice in rule.choices],
                widget=forms.Select(attrs={"class": "form-select"}),
            )
        else:
            field.widget.attrs["class"] = "form-control"
            if rule.kind == Kind.CODES and rule.choice_labels:
                # The codes are what is typed: shown as codes, each with its name.
                field.help_text = format_html(
                    "{} {}",
                    _("Codes separated by commas, in order.")
                    if rule.ordered
                    else _("Codes separated by commas."),
                    format_html_join("; ", "<code>{}</code> = {}", rule.choice_labels),
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


def parse_value(rule: Rule, text: str) -> Any:
    """A value typed on the page: a whole number, a comma-separated list, or a choice."""
    text = (text or "").strip()
    if rule.kind == Kind.CODES:
        return [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]
    if rule.kind == Kind.CHOICE:
        return text
    try:
        return int(text)
    except ValueError:
        raise ValidationError(gettext("Enter a whole number."), code="invalid") from None
