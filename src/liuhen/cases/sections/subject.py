"""The "Cases" section of a subject's page (R18.3): the cases about the subject that the
viewer may read, with the subject's role in each, and the form that adds the subject to
one of the viewer's own cases."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liuhen.accounts.models import Role
from liuhen.cases.forms.cases import LinkSubjectForm
from liuhen.cases.models import Case
from liuhen.core import access
from liuhen.subjects.models import CaseParty
from liuhen.subjects.sections import ROWS_SHOWN, Section


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


def _cases(user: Any, subject: Any) -> dict[str, Any]:
    cases = access.visible(user, Case.objects.all())
    links = (
        CaseParty.objects.filter(subject=subject, case__in=cases)
        .select_related("case", "case__unit")
        .order_by("-case__opened_at", "-case_id")[:ROWS_SHOWN]
    )
    linkable = linkable_cases(user, subject) if subject.merged_into_id is None else []
    return {
        "links": list(links),
        "link_form": LinkSubjectForm(cases=linkable) if linkable else None,
        "subject": subject,
    }


SUBJECT_SECTION = Section(
    "cases", _("Cases"), "cases/subject_sections/cases.html", _cases, order=10
)
