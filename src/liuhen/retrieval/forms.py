"""The forms of the 调阅 pages; the actions validate."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from liuhen.retrieval.models import AccessKind, TargetKind


class FileForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to retrieve"), choices=TargetKind.choices)
    target = forms.IntegerField(
        label=_("Record asked for"), widget=forms.HiddenInput, required=False
    )
    case_number = forms.CharField(
        label=_("Case number"),
        required=False,
        max_length=60,
        help_text=_(
            "For a case: its number. A document or AV record is named by the page that refused it."
        ),
    )
    access_kind = forms.ChoiceField(label=_("Access"), choices=AccessKind.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    days = forms.IntegerField(label=_("Period (days)"), min_value=1)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for field in self.fields.values():
            if not isinstance(field.widget, forms.HiddenInput | forms.Select):
                field.widget.attrs.setdefault("class", "form-control form-control-lg")


class GrantForm(forms.Form):
    opinion = forms.CharField(
        label=_("Opinion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )
