"""Forms of the approval pages: signing a request (R7.1) and an urgent start (R7.2)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from liuhen.cases import approvals
from liuhen.cases.forms import StyledForm
from liuhen.cases.workflow import CASE_STEPS, URGENT_STEPS


class DecideForm(forms.Form):
    opinion = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 2}))
    experts = forms.CharField(required=False)  # R7.4
    expert_opinion = forms.CharField(required=False)


class UrgentStartForm(StyledForm):
    step = forms.ChoiceField(label=_("Step started before approval"), choices=())
    reason = forms.CharField(
        label=_("Reason for urgent start"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Lead steps have no case yet; an urgent start is recorded on a case.
        self.fields["step"].choices = [  # type: ignore[attr-defined]
            (key, step.label) for key, step in approvals.steps().items() if key in URGENT_STEPS
        ]


class StepRequestForm(StyledForm):
    """Ask for the approval of a step; the note goes to the approvers."""

    note = forms.CharField(
        label=_("Note for the approvers"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class AskForm(StepRequestForm):
    """Ask for the approval of one of the case's steps (R7.1)."""

    step = forms.ChoiceField(label=_("Step to approve"), choices=())

    field_order = ("step", "note")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [  # type: ignore[attr-defined]
            (key, approvals.step_label(key)) for key in CASE_STEPS
        ]
