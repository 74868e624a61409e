"""Deadline lists and one's notifications."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from liuhen.accounts.models import Unit
from liuhen.cases.http import AuthenticatedRequest
from liuhen.core import access
from liuhen.core import notifications as notes
from liuhen.deadlines import lists
from liuhen.deadlines.perms import DeadlinePerms

PAGE_SIZE = 100  # clocks per page: most urgent first, so page 1 shows what is overdue


def _list_page(
    request: HttpRequest, grouped: lists.Grouped, today: dt.date, **whose: object
) -> HttpResponse:
    """One page of the clocks in urgency order, regrouped for the headings; ``whose`` they
    are is the page's ``scope``, ``unit`` and the ``units`` to choose from."""
    ordered = [*grouped.overdue, *grouped.due_soon, *grouped.running]
    page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "deadlines/list.html",
        {
            "grouped": grouped,
            "page": page,
            "shown": lists.group(list(page)),
            "today": today,
            "soon_days": settings.DEADLINE_DUE_SOON_WORKING_DAYS,
            **whose,
        },
    )


@login_required
def mine(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    grouped = lists.my_clocks(request.user, today=today, request=request)
    return _list_page(
        request,
        grouped,
        today,
        scope="mine",
        may_list_unit=lists.may_list_unit(request.user),
        units=[],
        unit=None,
    )


@login_required
def unit(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    chosen = request.GET.get("unit", "")
    selected: Unit | None
    if chosen:
        if not chosen.isdigit():
            raise Http404
        selected = access.get_visible_or_404(
            request.user, Unit, action=DeadlinePerms.LIST_UNIT, request=request, pk=int(chosen)
        )
    else:
        selected = lists.default_unit(request.user)
    grouped = lists.unit_clocks(request.user, selected, today=today, request=request)
    return _list_page(
        request,
        grouped,
        today,
        scope="unit",
        units=lists.selectable_units(request.user),
        unit=selected,
    )


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """One's own notifications; those shown are marked read (their badge says "new")."""
    page = Paginator(notes.for_user(request.user), 50).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    notes.mark_read(request.user, [n.pk for n in shown if n.read_at is None])
    return render(request, "deadlines/notifications.html", {"page": page, "shown": shown})


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    notes.mark_read(request.user)
    return redirect("deadlines:notifications")
