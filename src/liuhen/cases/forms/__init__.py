"""Forms of the case pages, by area (they parse input; the actions validate and write).

:class:`StyledForm` is the base of the workflow forms (and of other apps' forms of the
same look).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from liuhen.cases import enforcement_fields


def datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class StyledForm(forms.Form):
    """Bootstrap classes for the tablet: large text fields, checkboxes left as they are."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxSelectMultiple | forms.Select):
                field.widget.attrs.setdefault("class", "form-control form-control-lg")


class EnforcementFieldChoice(forms.ChoiceField):
    """The field of enforcement 执法领域, from the bureau's configured list (read per form,
    so a field added to the list is offered without a restart)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Field of enforcement"))
        kwargs.setdefault("widget", forms.Select(attrs={"class": "form-select form-select-lg"}))
        super().__init__(choices=enforcement_fields.choices, **kwargs)
