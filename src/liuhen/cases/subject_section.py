"""The "Cases" section of a subject's page (R18.3): the cases about the subject that the
viewer may read, with the subject's role in each."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from liuhen.cases.models import Case
from liuhen.core import access
from liuhen.subjects.models import CaseParty
from liuhen.subjects.sections import ROWS_SHOWN, Section


def _case_rows(user: Any, subject: Any) -> list[dict[str, Any]]:
    cases = access.visible(user, Case.objects.all())
    links = (
        CaseParty.objects.filter(subject=subject, case__in=cases)
        .select_related("case", "case__unit")
        .order_by("-case__opened_at", "-case_id")[:ROWS_SHOWN]
    )
    return [{"case": link.case, "link": link} for link in links]


SUBJECT_SECTION = Section(
    "cases", _("Cases"), "cases/subject_sections/cases.html", _case_rows, order=10
)
