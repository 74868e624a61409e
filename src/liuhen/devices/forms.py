"""Device forms; validation proper lives in the actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from liuhen.accounts.models import Unit, User
from liuhen.core.forms import local_minute_field
from liuhen.devices.actions import SETTABLE_STATUSES
from liuhen.devices.models import DeviceKind, DeviceStatus

DATETIME_INPUT = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def _when(label: Any, required: bool = False) -> forms.DateTimeField:
    return local_minute_field(
        label,
        required=required,
        input_formats=DATETIME_INPUT,
        attrs={"class": "form-control form-control-lg"},
    )


class DeviceForm(forms.Form):
    serial = forms.CharField(label=_("Serial number"), max_length=60)
    kind = forms.ChoiceField(label=_("Kind"), choices=DeviceKind.choices)
    model = forms.CharField(label=_("Model"), max_length=100, required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in SETTABLE_STATUSES],
        required=False,
    )
    storage_place = forms.CharField(label=_("Storage place"), max_length=200, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, units: QuerySet[Unit], editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        if editing:
            del self.fields["serial"]
            if self.initial.get("status") == DeviceStatus.CHECKED_OUT:
                del self.fields["status"]
        else:
            del self.fields["status"]
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            css = "form-select form-select-lg" if select else "form-control form-control-lg"
            field.widget.attrs.setdefault("class", css)


class CheckoutForm(forms.Form):
    holder = forms.ModelChoiceField(
        label=_("Officer who takes it"), queryset=User.objects.none(), required=False
    )
    at = _when(_("Taken at (empty: now)"))
    condition = forms.CharField(label=_("Condition"), max_length=300, required=False)

    def __init__(self, *args: Any, holders: QuerySet[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if holders is None:
            del self.fields["holder"]
        else:
            self.fields["holder"].queryset = holders  # type: ignore[attr-defined]
            self.fields["holder"].widget.attrs["class"] = "form-select form-select-lg"
        self.fields["condition"].widget.attrs["class"] = "form-control form-control-lg"


class ReturnForm(forms.Form):
    at = _when(_("Returned at (empty: now)"))
    condition = forms.CharField(label=_("Condition"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["condition"].widget.attrs["class"] = "form-control form-control-lg"


class MaintenanceForm(forms.Form):
    start = _when(_("From"), required=True)
    end = _when(_("To"))
    work_done = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control form-control-lg"}),
    )
