"""The record-activity form (tablet first); validation proper lives in the actions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from liuhen.accounts.models import User
from liuhen.activities.models import ActivityType
from liuhen.core.forms import local_minute_field
from liuhen.subjects.models import Subject

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _degrees(label: StrOrPromise) -> forms.DecimalField:
    """A coordinate in degrees, as the model keeps it (6 decimals); optional."""
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=9,
        decimal_places=6,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )


class OfficerChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class ActivityForm(forms.Form):
    type = forms.ModelChoiceField(
        label=_("Activity type"), queryset=ActivityType.objects.filter(active=True)
    )
    started_at = local_minute_field(_("Started at"))
    ended_at = local_minute_field(_("Ended at"))
    place = forms.CharField(label=_("Place"), max_length=300)
    gps_lat = _degrees(_("Latitude"))
    gps_lon = _degrees(_("Longitude"))
    officers = OfficerChoices(
        label=_("Officers present"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    party: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Party"), queryset=Subject.objects.none(), required=False
    )
    non_site = forms.BooleanField(
        label=_("Non-site enforcement (CCTV, remote monitoring)"), required=False
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, officers: QuerySet[User], parties: QuerySet[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = officers  # type: ignore[attr-defined]
        self.fields["party"].queryset = parties  # type: ignore[attr-defined]
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                continue
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault(
                "class",
                f"{css} form-control-lg" if css == "form-control" else f"{css} form-select-lg",
            )
            field.widget.attrs.setdefault("data-testid", f"field-{name}")

    def gps(self) -> tuple[Any, Any] | None:
        lat, lon = self.cleaned_data.get("gps_lat"), self.cleaned_data.get("gps_lon")
        if lat is None and lon is None:
            return None
        return (lat, lon)


class ExemptionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_("Why the AV record could not be made, e.g. “根据实际情况…”."),
    )
