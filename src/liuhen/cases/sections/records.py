"""The case page section "Notices, reviews and discussions": what R7.3, R8.1, R8.2 and
Art. 58 records say, not only that they were made (registered when the cases app starts)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from liuhen.accounts.models import User
from liuhen.cases.models import DiscussionOpinion, Waiver
from liuhen.cases.sections import Section

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.cases.models import Case


def _records(request: HttpRequest, case: Case) -> dict[str, Any]:
    notices = (
        case.advance_notices.select_related("notified_by")
        .prefetch_related(
            Prefetch("waivers", queryset=Waiver.objects.select_related("recorded_by"))
        )
        .order_by("notified_at", "id")
    )
    reviews = case.legal_reviews.select_related("reviewer").order_by("reviewed_at", "id")
    discussions = case.discussions.prefetch_related(
        Prefetch("attendees", queryset=User.objects.order_by("username")),
        Prefetch(
            "attendee_opinions",
            queryset=DiscussionOpinion.objects.select_related("attendee").order_by("id"),
        ),
    ).order_by("held_at", "id")
    return {"notices": list(notices), "reviews": list(reviews), "discussions": list(discussions)}


SECTION = Section(
    "records",
    _("Notices, reviews and discussions"),
    "cases/sections/records.html",
    order=15,
    context=_records,
)
