from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from liuhen.core.models import Outcome

_LOCAL_MINUTE = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]


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
    time_from = forms.DateTimeField(
        label=_("Time from"),
        required=False,
        input_formats=_LOCAL_MINUTE,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    time_to = forms.DateTimeField(
        label=_("Time to"),
        required=False,
        input_formats=_LOCAL_MINUTE,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field, forms.ChoiceField)
                else ("form-control form-control-sm")
            )
            field.widget.attrs.setdefault("class", css)
