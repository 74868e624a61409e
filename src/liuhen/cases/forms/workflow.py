"""Forms of the workflow pages (R7.3, R8.1, R8.2, Art. 51, 58, 59, closing)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liuhen.accounts.models import Role, User
from liuhen.cases.decisions import RIGHT_CHOICES, discussion_staff
from liuhen.cases.forms import EnforcementFieldChoice, StyledForm, datetime_input
from liuhen.cases.models import ClosingCondition, DiscussionOpinion, PenaltyKind, ReviewResult
from liuhen.core import access, rules
from liuhen.subjects.models import Licence, Subject


def _yuan_field(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, min_value=Decimal("0"), max_digits=14, decimal_places=2
    )


def _boxes(label: Any, choices: Any, **kwargs: Any) -> forms.MultipleChoiceField:
    """Boxes to tick, none required here (the action says what a record lacks)."""
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        **kwargs,
    )


def yuan_to_fen(value: Decimal | None) -> int:
    """Fines are entered in yuan and stored in fen (whole numbers, no float rounding)."""
    return int((value or Decimal("0")) * 100)


class AdvanceNoticeForm(StyledForm):
    notified_at = forms.DateTimeField(label=_("Notified at"), widget=datetime_input())
    notified_to = forms.CharField(label=_("Notified to"), max_length=200)
    method = forms.CharField(
        label=_("Method"), max_length=100, help_text=_("E.g. served in person, by post.")
    )
    rights = _boxes(
        _("Rights notified"),
        RIGHT_CHOICES,
        initial=[value for value, _label in RIGHT_CHOICES],
    )
    penalty_kinds = _boxes(_("Proposed penalty"), PenaltyKind.choices)
    proposed_fine_yuan = _yuan_field(_("Proposed fine (yuan)"))
    proposed_confiscation_yuan = _yuan_field(_("Value of what is to be confiscated (yuan)"))
    licence = forms.ModelChoiceField(
        label=_("Licence to be suspended or revoked"),
        queryset=Licence.objects.none(),
        required=False,
        help_text=_("When suspension or revocation of a licence is proposed: which licence."),
    )

    def __init__(self, *args: Any, licences: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if licences is not None:
            self.fields["licence"].queryset = licences  # type: ignore[attr-defined]
        # Art. 63 (二): with the fine, the value decides whether a hearing must be offered.
        self.fields["proposed_confiscation_yuan"].help_text = _(
            "Illegal gains and illegal property together, when confiscation is proposed."
        )


class WaiverForm(StyledForm):
    rights = _boxes(_("Rights waived"), RIGHT_CHOICES)
    statement = forms.CharField(
        label=_("Party's statement"), widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(StyledForm):
    penalty_kinds = _boxes(_("Penalty kinds"), PenaltyKind.choices)
    fine_yuan = _yuan_field(_("Fine (yuan)"))
    facts = forms.CharField(label=_("Facts"), widget=forms.Textarea(attrs={"rows": 4}))
    basis = forms.CharField(label=_("Legal basis"), widget=forms.Textarea(attrs={"rows": 3}))


class LegalReviewForm(StyledForm):
    result = forms.ChoiceField(label=_("Result"), choices=ReviewResult.choices)
    opinion = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 4}))


class DiscussionForm(StyledForm):
    held_at = forms.DateTimeField(label=_("Held at"), widget=datetime_input())
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
        staff = list(discussion_staff())
        self.fields["attendees"].queryset = discussion_staff()  # type: ignore[attr-defined]
        # R7.3: each attendee's own opinion, as the chair drafts it; the attendee confirms.
        self.opinion_fields: dict[str, int] = {}
        for person in staff:
            name = f"opinion_{person.pk}"
            self.fields[name] = forms.CharField(
                label=_("Opinion of %(name)s") % {"name": person.display_name},
                required=False,
                help_text=_("Only for attendees; the attendee confirms it in their tasks."),
                widget=forms.Textarea(attrs={"rows": 1, "class": "form-control form-control-lg"}),
            )
            self.opinion_fields[name] = person.pk
        self.order_fields(["held_at", "attendees", *self.opinion_fields])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = {person.pk for person in data.get("attendees") or ()}
        data["attendee_opinions"] = {
            pk: data.pop(name, "") for name, pk in self.opinion_fields.items() if pk in chosen
        }
        for name in self.opinion_fields:
            data.pop(name, None)
        return data


class ConfirmOpinionForm(StyledForm):
    text = forms.CharField(
        label=_("My opinion"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("As the chair recorded it; correct it if it is not what you said."),
    )


class UnconfirmedReasonForm(StyledForm):
    opinion = forms.ModelChoiceField(label=_("Attendee"), queryset=DiscussionOpinion.objects.none())
    reason = forms.CharField(
        label=_("Why the attendee cannot confirm"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, opinions: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["opinion"]
        field.queryset = opinions if opinions is not None else DiscussionOpinion.objects.none()  # type: ignore[attr-defined]
        field.label_from_instance = lambda o: o.attendee.display_name  # type: ignore[attr-defined]


class ClosingRequestForm(StyledForm):
    note = forms.CharField(
        label=_("Closing report"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ReviewGroundsForm(StyledForm):
    complex_or_serious = forms.BooleanField(
        label=_("Complex or serious case (needs legal review and collective discussion)"),
        required=False,
    )
    major_public_interest = forms.BooleanField(
        label=_("Involves a major public interest (needs legal review)"), required=False
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("complex_or_serious", "major_public_interest"):
            self.fields[name].widget.attrs["class"] = "form-check-input"


class CloseForm(StyledForm):
    condition = forms.ChoiceField(label=_("Closing condition"), choices=ClosingCondition.choices)


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
    field = EnforcementFieldChoice(initial="农药")
    # Regulation Art. 5(一): the penalty on the spot is an activity, recorded with its place,
    # time and the officers present (行政处罚法 Art. 42, 52: two certified officers at least).
    place = forms.CharField(label=_("Place"), max_length=300)
    started_at = forms.DateTimeField(label=_("Started at"), widget=datetime_input(), required=False)
    officers = forms.ModelMultipleChoiceField(
        label=_("Other officers present"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        subjects = Subject.objects.filter(merged_into__isnull=True).order_by("name", "id")
        self.fields["subject"].queryset = access.visible(user, subjects)  # type: ignore[attr-defined]
        # The certified staff of the officer's own unit (as on the activity form).
        colleagues = User.objects.filter(
            is_active=True,
            unit__isnull=False,
            unit=getattr(user, "unit", None),
            role_grants__role__in=(Role.OFFICER, Role.UNIT_HEAD),
        ).exclude(pk__in=[getattr(user, "pk", 0)])
        self.fields["officers"].queryset = (  # type: ignore[attr-defined]
            access.visible(user, colleagues).distinct().order_by("full_name", "username")
        )
        self.fields["officers"].help_text = _(
            "With you, at least %(min)d officers holding an enforcement certificate valid on "
            "the day (Administrative Penalty Law Art. 42, 52)."
        ) % {"min": int(rules.value("min_officers_on_site"))}
