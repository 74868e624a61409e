"""Forms of the hearing and suspension pages (they validate input; actions do the rest)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from liuhen.accounts.models import User
from liuhen.cases.forms import StyledForm, datetime_input
from liuhen.cases.hearings import hearing_staff
from liuhen.cases.models import SuspensionGround


class HearingRequestForm(StyledForm):
    requested_at = forms.DateTimeField(label=_("Requested at"), widget=datetime_input())
    requested_by_party = forms.CharField(label=_("Requested by"), max_length=200)
    request_method = forms.CharField(
        label=_("How it was requested"),
        max_length=100,
        help_text=_("E.g. in writing, orally (recorded in a transcript)."),
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class HearingScheduleForm(StyledForm):
    scheduled_at = forms.DateTimeField(label=_("Hearing time"), widget=datetime_input())
    place = forms.CharField(label=_("Place"), max_length=200)
    chair = StaffChoiceField(
        label=_("Chair"),
        queryset=User.objects.none(),
        help_text=_("Investigators of this case are not listed: they may not chair (Art. 64)."),
    )
    clerk = StaffChoiceField(label=_("Clerk"), queryset=User.objects.none(), required=False)
    notified_at = forms.DateTimeField(
        label=_("Party notified at"),
        widget=datetime_input(),
        help_text=_("When the party was told the time and place of the hearing."),
    )
    public = forms.BooleanField(label=_("Public hearing"), required=False, initial=True)
    closed_reason = forms.CharField(
        label=_("Reason for a closed hearing"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, excluded: set[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = hearing_staff().exclude(pk__in=excluded or ())  # type: ignore[attr-defined]
        self.fields["clerk"].queryset = hearing_staff()  # type: ignore[attr-defined]
        self.fields["public"].widget.attrs["class"] = "form-check-input"


class HearingHeldForm(StyledForm):
    held_at = forms.DateTimeField(label=_("Hearing held at"), widget=datetime_input())
    summary = forms.CharField(
        label=_("Transcript summary"), widget=forms.Textarea(attrs={"rows": 4})
    )
    outcome = forms.CharField(
        label=_("Outcome"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The chair's report and opinion on the case."),
    )


class SuspendForm(StyledForm):
    ground = forms.ChoiceField(label=_("Ground"), choices=SuspensionGround.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ResumeForm(StyledForm):
    reason = forms.CharField(
        label=_("Why the investigation can resume"), widget=forms.Textarea(attrs={"rows": 3})
    )
