"""AV coverage per unit and per officer (R14.1, R22.1): the activities that need AV in a
period, the share of their time recorded, and how many have gaps."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from liuhen.activities.models import Activity
from liuhen.core import access
from liuhen.core.registers import Filters, date_filters, within_dates
from liuhen.supervision.coverage import summary
from liuhen.supervision.coverage.activities import coverages, gap_threshold, needing_av
from liuhen.supervision.perms import CoveragePerms

DEFAULT_DAYS = 30


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    access.require(request.user, CoveragePerms.VIEW, request=request)
    values = date_filters(request.GET)
    if not values:
        today = timezone.localdate()
        values = {
            "date_from": (today - dt.timedelta(days=DEFAULT_DAYS)).isoformat(),
            "date_to": today.isoformat(),
        }
    filters = Filters(values)
    activities = (
        within_dates(
            needing_av(access.visible(request.user, Activity.objects.all())),
            "started_at",
            filters,
        )
        .select_related("unit", "type")
        .prefetch_related("officers")
    )
    items = coverages(activities.order_by("started_at", "pk"))
    context = {
        "units_rows": summary.per_unit(items),
        "officer_rows": summary.per_officer(items),
        "date_from": filters.get("date_from"),
        "date_to": filters.get("date_to"),
        "filter_query": urlencode(values),
        "threshold": int(gap_threshold().total_seconds() // 60),
    }
    return render(request, "supervision/coverage/index.html", context)
