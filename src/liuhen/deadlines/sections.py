"""The "Deadlines" section of the case page (registered by ``DeadlinesConfig.ready()``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liuhen.cases import deadlines
from liuhen.cases.sections import Section

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.cases.models import Case


def _deadlines(request: HttpRequest, case: Case) -> dict[str, Any]:
    today = timezone.localdate()
    return {"clocks": deadlines.clocks_for_case(case, today=today), "today": today}


SECTION = Section(
    "deadlines",
    _("Deadlines"),
    "deadlines/section.html",
    order=20,
    context=_deadlines,
)
