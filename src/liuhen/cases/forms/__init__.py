"""Forms of the case pages, by area (they parse input; the actions validate and write).

:class:`StyledForm` is the base of the workflow forms (and of other apps' forms of the
same look).
"""

from __future__ import annotations

from typing import Any

from django import forms


def datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class StyledForm(forms.Form):
    """Bootstrap classes for the tablet: large text fields, checkboxes left as they are."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxSelectMultiple | forms.Select):
                field.widget.attrs.setdefault("class", "form-control form-control-lg")
