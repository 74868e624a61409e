"""The "AV coverage" section of the case page and the activity page (R5, R14.1): each
activity that needs AV with the share of its time its recordings cover and its gaps."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from liuhen.activities.models import Activity
from liuhen.cases import sections
from liuhen.supervision.coverage.activities import coverage_of, coverages, needing_av

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.cases.models import Case


def _case_coverage(request: HttpRequest, case: Case) -> dict[str, Any]:
    activities = needing_av(Activity.objects.filter(case=case)).select_related("type")
    return {"items": coverages(activities.order_by("started_at", "pk"))}


def activity_coverage(request: HttpRequest, activity: Activity) -> dict[str, Any]:
    return {"item": coverage_of(activity)}


SECTION = sections.Section(
    "av_coverage",
    _("AV coverage"),
    "supervision/coverage/case_section.html",
    order=22,
    context=_case_coverage,
)
