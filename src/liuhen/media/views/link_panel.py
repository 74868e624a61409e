"""The links panel of the AV record page (R16.1): suggestions, links, labels, marks.

Only the forms the user may use are shown; a linked activity or case the user may not
see is named as such, never by its number (R21.2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from liuhen.activities.models import Activity
from liuhen.activities.perms import ActivityPerms
from liuhen.cases.models import Case
from liuhen.cases.perms import CasePerms
from liuhen.core import access
from liuhen.media import links
from liuhen.media.models import AvLink, AvRecord
from liuhen.media.perms import MediaPerms
from liuhen.media.playback.tokens import disposal_of


@dataclass(frozen=True)
class LinkRow:
    link: AvLink
    withdrawn: bool
    visible: bool  # the user may see the activity or case it points to
    can_withdraw: bool


def _visible_targets(user: Any, rows: list[AvLink]) -> tuple[set[int], set[int]]:
    activity_ids = {link.activity_id for link in rows if link.activity_id is not None}
    case_ids = {link.case_id for link in rows if link.case_id is not None}
    activities = set(
        access.visible(user, Activity.objects.filter(pk__in=activity_ids)).values_list(
            "pk", flat=True
        )
        if activity_ids
        else ()
    )
    cases = set(
        access.visible(user, Case.objects.filter(pk__in=case_ids)).values_list("pk", flat=True)
        if case_ids
        else ()
    )
    return activities, cases


def _may_withdraw(user: Any, link: AvLink, can_link: bool) -> bool:
    if not can_link:
        return False
    if link.activity is not None and not access.can(user, ActivityPerms.VIEW, link.activity):
        return False
    return link.case is None or access.can(user, CasePerms.CHANGE, link.case)


def context(request: HttpRequest, record: AvRecord) -> dict[str, Any]:
    """Template context for ``media/_record_links.html``."""
    user = request.user
    # Nothing more is said about a record disposed of after retention (R18.4).
    open_record = disposal_of(record) is None
    can_link = open_record and access.can(user, MediaPerms.LINK, record)
    can_label = open_record and access.can(user, MediaPerms.LABEL, record)
    can_mark = open_record and access.can(user, MediaPerms.MARK, record)
    all_links = list(links.links_of(record))
    seen_activities, seen_cases = _visible_targets(user, all_links)
    rows = []
    for link in all_links:
        withdrawn = links.is_withdrawn(link)
        visible = (link.activity_id is None or link.activity_id in seen_activities) and (
            link.case_id is None or link.case_id in seen_cases
        )
        rows.append(
            LinkRow(
                link=link,
                withdrawn=withdrawn,
                visible=visible,
                can_withdraw=not withdrawn and _may_withdraw(user, link, can_link),
            )
        )
    suggestions = links.suggestions(record, user=user) if can_link else []
    suggested = {s.activity.pk for s in suggestions}
    nearby = (
        [a for a in links.nearby_activities(record, user) if a.pk not in suggested]
        if can_link
        else []
    )
    labels = list(record.labels.select_related("by").order_by("-at", "-id"))
    marks = list(record.marks.select_related("by").order_by("-at", "-id"))
    return {
        "links_record": record,
        "link_rows": [row for row in rows if not row.withdrawn],
        "withdrawn_rows": [row for row in rows if row.withdrawn],
        "suggestions": suggestions,
        "nearby_activities": nearby,
        "labels": labels,
        "current_label": labels[0] if labels else None,
        "marks": marks,
        "important": bool(marks and marks[0].important),
        "can_link": can_link,
        "can_label": can_label,
        "can_mark": can_mark,
        "record_officer": links.record_officer(record),
        "capture_time": links.capture_time(record),
        "slack_minutes": int(links.SUGGESTION_SLACK.total_seconds() // 60),
    }
