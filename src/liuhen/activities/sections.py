"""The "Activities" sections: of the case page, with each activity's AV status (R5.2), and
of the subject's page (R18.3)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from liuhen.activities.av import linked_av_count
from liuhen.activities.models import Activity
from liuhen.activities.perms import ActivityPerms
from liuhen.cases import sections
from liuhen.core import access
from liuhen.subjects import sections as subject_sections

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.cases.models import Case


def _activities(request: HttpRequest, case: Case) -> dict[str, Any]:
    activities = (
        access.visible(request.user, Activity.objects.filter(case=case))
        .select_related("type")
        .prefetch_related("presences__officer", "av_exemptions__approval")
        .order_by("-started_at", "-id")
    )
    rows = []
    for activity in activities:
        exemption = activity.av_exemption
        rows.append(
            {
                "activity": activity,
                "needs_av": activity.type.needs_av,
                "av_count": linked_av_count(activity),
                "exemption": exemption,
            }
        )
    return {
        "case": case,
        "rows": rows,
        "may_record": access.can(request.user, ActivityPerms.RECORD, case),
    }


SECTION = sections.Section(
    "activities",
    _("Enforcement activities"),
    "activities/sections/activities.html",
    order=30,
    context=_activities,
)


def _subject_activities(user: Any, subject: Any) -> dict[str, Any]:
    """R18.3: the activities where the subject was the party, that the viewer may see."""
    visible = access.visible(user, Activity.objects.filter(party=subject))
    rows = visible.select_related("type", "case").order_by("-started_at", "-id")
    return {"rows": list(rows[: subject_sections.ROWS_SHOWN])}


SUBJECT_SECTION = subject_sections.Section(
    "activities",
    _("Enforcement activities"),
    "activities/sections/subject_activities.html",
    _subject_activities,
    order=20,
)
