"""The statistics pages (R22.1): the dashboard with its filter, its XLSX export and the
annual report. Views parse the filter and call the actions; figures come through
``access.visible`` (the dashboard module)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from liuhen.accounts.models import Unit
from liuhen.cases.http import AuthenticatedRequest
from liuhen.core import access
from liuhen.core.navigation import belongs_to
from liuhen.supervision.actions import statistics as actions
from liuhen.supervision.perms import StatisticsPerms
from liuhen.supervision.policy import supervises_bureau
from liuhen.supervision.statistics import dashboard

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _day(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _units(request: AuthenticatedRequest) -> list[Unit]:
    units = access.visible(request.user, Unit.objects.filter(active=True).order_by("id"))
    if not supervises_bureau(request.user):
        units = units.filter(pk=request.user.unit_id or 0)
    return list(units)


def _filters(request: AuthenticatedRequest, units: list[Unit]) -> dashboard.Filters:
    today = timezone.localdate()
    start = _day(request.GET.get("from"), today.replace(month=1, day=1))
    end = _day(request.GET.get("to"), today)
    if start > end:
        start, end = end, start
    unit_id = _number(request.GET.get("unit"))
    if unit_id not in {unit.pk for unit in units}:
        unit_id = units[0].pk if len(units) == 1 else None
    return dashboard.Filters(
        start=start, end=end, unit_id=unit_id, officer_id=_number(request.GET.get("officer"))
    )


def _query(filters: dashboard.Filters) -> str:
    values = {"from": filters.start.isoformat(), "to": filters.end.isoformat()}
    if filters.unit_id:
        values["unit"] = str(filters.unit_id)
    if filters.officer_id:
        values["officer"] = str(filters.officer_id)
    return urlencode(values)


@login_required
@belongs_to("statistics")
def dashboard_page(request: AuthenticatedRequest) -> HttpResponse:
    access.require(request.user, StatisticsPerms.VIEW, request=request)
    units = _units(request)
    filters = _filters(request, units)
    charts = dashboard.charts(request.user, filters)
    return render(
        request,
        "supervision/statistics/dashboard.html",
        {
            "charts": charts,
            "chart_data": [chart.as_data() for chart in charts],
            "filters": filters,
            "units": units,
            "officers": dashboard.officers_for(request.user, filters.unit_id),
            "filter_query": _query(filters),
            "refreshed": dashboard.last_refresh(),
            "years": range(timezone.localdate().year, timezone.localdate().year - 6, -1),
        },
    )


@login_required
def export(request: AuthenticatedRequest) -> HttpResponse:
    access.require(request.user, StatisticsPerms.EXPORT, request=request)
    filters = _filters(request, _units(request))
    data = actions.export_dashboard(request.user, filters, request=request)
    response = HttpResponse(data, content_type=XLSX)
    name = f"statistics-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def annual_report(request: AuthenticatedRequest) -> HttpResponse:
    access.require(request.user, StatisticsPerms.ANNUAL_REPORT, request=request)
    year = _number(request.POST.get("year")) or timezone.localdate().year
    try:
        pdf = actions.make_annual_report(request.user, year, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("statistics:dashboard")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="annual-report-{year}.pdf"'
    return response
