"""Forms of the lead, approval and workflow pages (they validate input; actions do the rest)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liuhen.accounts.models import Role, User
from liuhen.cases import approvals
from liuhen.cases.models import ClosingCondition, LeadSource, PenaltyKind, ReviewResult
from liuhen.subjects.models import PartyRole, Subject


class LeadForm(forms.Form):
    source = forms.ChoiceField(label=_("Source"), choices=LeadSource.choices)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))
    violation_date = forms.DateField(
        label=_("Date of the act"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Used for the limitation warning at filing."),
    )


class FilingForm(forms.Form):
    title = forms.CharField(label=_("Case title"), max_length=300)
    field = forms.CharField(label=_("Field of enforcement"), max_length=20, initial="农药")
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DeclineForm(forms.Form):
    note = forms.CharField(
        label=_("Reason for not filing"), widget=forms.Textarea(attrs={"rows": 2})
    )


class DecideForm(forms.Form):
    opinion = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 2}))
    experts = forms.CharField(required=False)  # R7.4
    expert_opinion = forms.CharField(required=False)


# --- workflow screens (R7.2, R7.3, R8.1, R8.2, Art. 51, 58, 59) ------------------------

RIGHT_CHOICES = [
    ("statement", _("Statement")),
    ("defence", _("Defence")),
    ("withdrawal", _("Request withdrawal")),
    ("hearing", _("Hearing")),
]


def _yuan_field(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, min_value=Decimal("0"), max_digits=14, decimal_places=2
    )


def yuan_to_fen(value: Decimal | None) -> int:
    """Fines are entered in yuan and stored in fen (whole numbers, no float rounding)."""
    return int((value or Decimal("0")) * 100)


def _datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class StyledForm(forms.Form):
    """Bootstrap classes for the tablet: large text fields, checkboxes left as they are."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxSelectMultiple | forms.Select):
                field.widget.attrs.setdefault("class", "form-control form-control-lg")


class AdvanceNoticeForm(StyledForm):
    notified_at = forms.DateTimeField(label=_("Notified at"), widget=_datetime_input())
    notified_to = forms.CharField(label=_("Notified to"), max_length=200)
    method = forms.CharField(
        label=_("Method"), max_length=100, help_text=_("E.g. served in person, by post.")
    )
    rights = forms.MultipleChoiceField(
        label=_("Rights notified"),
        choices=RIGHT_CHOICES,
        initial=[value for value, _label in RIGHT_CHOICES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    penalty_kinds = forms.MultipleChoiceField(
        label=_("Proposed penalty"),
        choices=PenaltyKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    proposed_fine_yuan = _yuan_field(_("Proposed fine (yuan)"))


class WaiverForm(StyledForm):
    rights = forms.MultipleChoiceField(
        label=_("Rights waived"),
        choices=RIGHT_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    statement = forms.CharField(
        label=_("Party's statement"), widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(StyledForm):
    penalty_kinds = forms.MultipleChoiceField(
        label=_("Penalty kinds"),
        choices=PenaltyKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    fine_yuan = _yuan_field(_("Fine (yuan)"))
    facts = forms.CharField(label=_("Facts"), widget=forms.Textarea(attrs={"rows": 4}))
    basis = forms.CharField(label=_("Legal basis"), widget=forms.Textarea(attrs={"rows": 3}))


class LegalReviewForm(StyledForm):
    result = forms.ChoiceField(label=_("Result"), choices=ReviewResult.choices)
    opinion = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 4}))


class DiscussionForm(StyledForm):
    held_at = forms.DateTimeField(label=_("Held at"), widget=_datetime_input())
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendees"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    other_attendees = forms.CharField(
        label=_("Other attendees"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    opinions = forms.CharField(
        label=pgettext_lazy("discussion", "Opinions"), widget=forms.Textarea(attrs={"rows": 4})
    )
    conclusion = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 2}))
    experts = forms.CharField(
        label=_("Experts or legal advisers taking part"),
        required=False,
        help_text=_("Names and positions; leave empty when none took part."),
        widget=forms.Textarea(attrs={"rows": 1}),
    )
    expert_opinion = forms.CharField(
        label=_("Experts' minutes or written opinion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Staff who decide cases; administrators never take part (R21.2).
        people = User.objects.filter(is_active=True, role_grants__role__in=DISCUSSION_ROLES)
        self.fields["attendees"].queryset = people.distinct().order_by(  # type: ignore[attr-defined]
            "full_name", "username"
        )


class ClosingRequestForm(StyledForm):
    note = forms.CharField(
        label=_("Closing report"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class CloseForm(StyledForm):
    condition = forms.ChoiceField(label=_("Closing condition"), choices=ClosingCondition.choices)


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


URGENT_STEPS = ("advance_preservation", "decision", "closing")
DISCUSSION_ROLES = (Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD, Role.LEGAL_REVIEWER)


class OnTheSpotForm(StyledForm):
    subject = forms.ModelChoiceField(label=_("Party"), queryset=Subject.objects.none())
    penalty_kind = forms.ChoiceField(
        label=_("Penalty"),
        choices=[
            (PenaltyKind.WARNING, PenaltyKind.WARNING.label),
            (PenaltyKind.FINE, PenaltyKind.FINE.label),
        ],
    )
    amount_yuan = _yuan_field(_("Fine (yuan)"))
    facts = forms.CharField(label=_("Facts"), widget=forms.Textarea(attrs={"rows": 3}))
    basis = forms.CharField(label=_("Legal basis"), widget=forms.Textarea(attrs={"rows": 2}))
    field = forms.CharField(label=_("Field of enforcement"), max_length=20, initial="农药")

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from liuhen.core import access

        subjects = Subject.objects.filter(merged_into__isnull=True).order_by("name", "id")
        self.fields["subject"].queryset = access.visible(user, subjects)  # type: ignore[attr-defined]


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
