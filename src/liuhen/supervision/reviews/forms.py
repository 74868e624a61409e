"""Input parsing of the case-file review pages (validation proper is the actions')."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liuhen.accounts.models import User
from liuhen.cases.models import Case
from liuhen.supervision.policy import REVIEWER_ROLES
from liuhen.supervision.reviews import checklist
from liuhen.supervision.reviews.marks import Mark


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    period = forms.CharField(label=_("Period"), max_length=60)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control form-control-lg")
        self.fields["notes"].widget.attrs["rows"] = 2


class AssignForm(forms.Form):
    """A closed or archived case not yet in the plan, and a reviewer (the action refuses
    a reviewer with a conflict of interest)."""

    case = forms.ModelChoiceField(label=_("Case"), queryset=Case.objects.none())
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=User.objects.none())

    def __init__(self, *args: Any, cases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case_field = self.fields["case"]
        assert isinstance(case_field, forms.ModelChoiceField)
        case_field.queryset = cases.filter(closed_at__isnull=False).order_by("-closed_at")
        case_field.label_from_instance = lambda case: f"{case.number} {case.title}"  # type: ignore[method-assign,assignment]
        reviewer_field = self.fields["reviewer"]
        assert isinstance(reviewer_field, forms.ModelChoiceField)
        # Who reviews case files is not confidential to the supervisor planning them.
        reviewer_field.queryset = (
            User.objects.filter(is_active=True, role_grants__role__in=REVIEWER_ROLES)
            .distinct()
            .order_by("full_name")
        )
        reviewer_field.label_from_instance = lambda user: (  # type: ignore[method-assign,assignment]
            f"{user.display_name}" + (f"（{user.unit.name}）" if user.unit else "")
        )
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select form-select-lg")


def read_marks(data: Any) -> dict[str, Mark]:
    """The marks of the scoring page: per item ``deduct_<code>``, ``veto_<code>``,
    ``note_<code>``; a number that does not read is -1 (the action refuses it)."""
    marks: dict[str, Mark] = {}
    for code in checklist.ITEMS:
        raw = str(data.get(f"deduct_{code}") or "0").strip() or "0"
        try:
            deduction = Decimal(raw)
        except ArithmeticError:
            deduction = Decimal(-1)
        marks[code] = Mark(
            deduction=deduction,
            vetoed=str(data.get(f"veto_{code}") or "") in ("1", "on"),
            note=str(data.get(f"note_{code}") or ""),
        )
    return marks


def not_assigned(cases: Any, plan: Any) -> Any:
    return cases.filter(~Q(pk__in=plan.assignments.values("case_id")))
