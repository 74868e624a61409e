"""Forms of the case pages outside the workflow: linking a subject to a case (R18.3)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from liuhen.subjects.models import PartyRole


class LinkSubjectForm(forms.Form):
    """Record a subject as party or interested party of one of the officer's cases."""

    case = forms.TypedChoiceField(label=_("Case"), coerce=int)
    role = forms.ChoiceField(label=_("Role in the case"), choices=PartyRole.choices)

    def __init__(self, *args: Any, cases: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case_field = self.fields["case"]
        assert isinstance(case_field, forms.ChoiceField)
        case_field.choices = [(case.pk, str(case)) for case in cases]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"
