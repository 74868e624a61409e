"""The "Activities" sections: of the case page, with each activity's AV status (R5.2), and
of the subject's page (R18.3)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.urls import reverse
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


def _subject_activities(user: Any, subject: Any) -> QuerySet[Activity]:
    """R18.3: the activities where the subject was the party, that the viewer may see."""
    visible = access.visible(user, Activity.objects.filter(party=subject))
    return visible.select_related("type", "case").order_by("-started_at", "-id")


def _subject_entry(activity: Activity) -> subject_sections.Entry:
    return subject_sections.Entry(
        at=activity.started_at,
        title=activity.type.name,
        detail=activity.place,
        url=reverse("activities:detail", args=[activity.pk]),
        case=activity.case.number if activity.case else "",
        facts={"place": activity.place},
    )


SUBJECT_SECTION = subject_sections.Section(
    "activities",
    _("Enforcement activities"),
    "activities/sections/subject_activities.html",
    order=20,
    rows=_subject_activities,
    entry=_subject_entry,
)
