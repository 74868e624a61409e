"""The "Cases" section of a subject's page (R18.3): the cases about the subject that the
viewer may read, with the subject's role in each, and the form that adds the subject to
one of the viewer's own cases."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liuhen.accounts.models import Role
from liuhen.cases.forms.cases import LinkSubjectForm
from liuhen.cases.models import Case
from liuhen.core import access
from liuhen.subjects.models import CaseParty
from liuhen.subjects.sections import Entry, Section


def linkable_cases(user: Any, subject: Any) -> list[Case]:
    """Cases the user may change and the subject is not part of yet (the latest 100)."""
    mine = Q(officers=user)
    if user.has_role(Role.UNIT_HEAD) and user.unit_id is not None:
        mine |= Q(unit_id=user.unit_id)
    # The same reach as the "case.change" rule, in one query; link_party asks the rule.
    candidates = (
        access.visible(user, Case.objects.filter(pk__in=Case.objects.filter(mine).values("pk")))
        .exclude(parties__subject=subject)
        .order_by("-opened_at", "-id")[:100]
    )
    return list(candidates)


def _links(user: Any, subject: Any) -> QuerySet[CaseParty]:
    cases = access.visible(user, Case.objects.all())
    return (
        CaseParty.objects.filter(subject=subject, case__in=cases)
        .select_related("case", "case__unit", "case__decision")
        .order_by("-case__opened_at", "-case_id")
    )


def result(case: Case) -> str:
    """How the case ended or stands: the decision's number, else the closing condition."""
    decision = getattr(case, "decision", None)
    if decision is not None:
        return str(decision.number)
    return str(case.get_closing_condition_display()) if case.closing_condition else ""


def _entry(link: CaseParty) -> Entry:
    case = link.case
    return Entry(
        at=case.opened_at,
        title=f"{case.number} {case.title}",
        detail=" · ".join(filter(None, [str(case.get_stage_display()), result(case)])),
        url=reverse("cases:detail", args=[case.pk]),
        case=case.number,
        facts={
            "role": str(link.get_role_display()),
            "stage": str(case.get_stage_display()),
            "result": result(case),
            "unit": case.unit.name,
        },
    )


def _link_form(user: Any, subject: Any) -> dict[str, Any]:
    linkable = linkable_cases(user, subject) if subject.merged_into_id is None else []
    return {"link_form": LinkSubjectForm(cases=linkable) if linkable else None}


SUBJECT_SECTION = Section(
    "cases",
    _("Cases"),
    "cases/subject_sections/cases.html",
    _link_form,
    order=10,
    rows=_links,
    entry=_entry,
)
