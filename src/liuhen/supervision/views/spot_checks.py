"""The spot-check pages (R22.3): plans and the ledger, a plan with its sample, and the
review screen (player beside the Art. 13 checklist and the Art. 14 prohibitions)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liuhen.accounts.acting import acting_user
from liuhen.accounts.models import Unit
from liuhen.core import access, buttons, panels
from liuhen.media.actions import viewing
from liuhen.media.playback import tokens
from liuhen.media.registers import duration_of, format_duration
from liuhen.supervision.actions import spot_checks as actions
from liuhen.supervision.models import Answer, SpotCheckItem, SpotCheckPlan
from liuhen.supervision.perms import SpotCheckPerms
from liuhen.supervision.spot_checks import checklist, registers
from liuhen.supervision.spot_checks.forms import PlanForm, ReviewForm
from liuhen.supervision.spot_checks.population import linked_activity


def _units(request: HttpRequest) -> Any:
    return access.visible(request.user, Unit.objects.order_by("name"))


@login_required
def spot_checks(request: HttpRequest) -> HttpResponse:
    """The plans, the form for a new one, and the ledger."""
    access.require(request.user, SpotCheckPerms.VIEW, request=request)
    may_plan = access.can(request.user, SpotCheckPerms.PLAN)
    form = None
    if may_plan:
        form = PlanForm(request.POST if request.method == "POST" else None, units=_units(request))

        def run(data: dict[str, Any]) -> SpotCheckPlan:
            return actions.create_plan(
                acting_user(request),
                title=data["title"],
                period=data["period"],
                period_start=data["period_start"],
                units=data["units"],
                sample_count=data["sample_count"],
                sample_percent=data["sample_percent"],
                request=request,
            )

        plan = panels.submit(request, form, run, _("The spot-check plan was created."))
        if plan is not None:
            return redirect("supervision:spot_check_plan", pk=plan.pk)
    items, filters = registers.filtered(request.user, request.GET)
    page = Paginator(items, registers.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "plans": access.visible(request.user, SpotCheckPlan.objects.prefetch_related("units")),
        "form": form,
        "page": page,
        "unit": filters.get("unit", ""),
        "date_from": filters.get("date_from", ""),
        "date_to": filters.get("date_to", ""),
        "filter_query": urlencode(filters),
        "units": _units(request),
    }
    status = 422 if form is not None and form.is_bound and form.errors else 200
    return render(request, "supervision/spot_checks/index.html", context, status=status)


@login_required
def ledger_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    access.require(request.user, SpotCheckPerms.VIEW, request=request)
    items, filters = registers.filtered(request.user, request.GET)
    return registers.LEDGER.export(request.user, items, filters=filters, fmt=fmt, request=request)


@login_required
def plan_page(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_visible_or_404(
        request.user,
        SpotCheckPlan.objects.prefetch_related("units"),
        action=SpotCheckPerms.VIEW,
        request=request,
        pk=pk,
    )
    samples = access.visible(
        request.user, plan.samples.select_related("unit", "drawn_by").order_by("unit__name")
    )
    rows = []
    for sample in samples:
        items = access.visible(
            request.user,
            sample.items.select_related("record__officer", "review__reviewer"),
        )
        rows.append(
            (
                sample,
                [(item, access.can(request.user, SpotCheckPerms.REVIEW, item)) for item in items],
            )
        )
    drawn = {sample.unit_id for sample in samples}
    context = {
        "plan": plan,
        "samples": rows,
        "may_draw": access.can(request.user, SpotCheckPerms.PLAN, plan)
        and any(unit.pk not in drawn for unit in plan.units.all()),
    }
    return render(request, "supervision/spot_checks/plan.html", context)


@login_required
@require_POST
def draw(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_visible_or_404(
        request.user, SpotCheckPlan, action=SpotCheckPerms.PLAN, request=request, pk=pk
    )
    buttons.press(
        request,
        lambda: actions.draw_sample(acting_user(request), plan, request=request),
        _("The sample was drawn."),
    )
    return redirect("supervision:spot_check_plan", pk=plan.pk)


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_visible_or_404(
        request.user,
        SpotCheckItem.objects.select_related("sample__plan", "sample__unit", "record__officer"),
        action=SpotCheckPerms.REVIEW,
        request=request,
        pk=pk,
    )
    record = item.record
    activity = linked_activity(record)
    items = checklist.items_for(activity.type.code if activity is not None else None)
    done = item.review_or_none()
    form = ReviewForm(
        request.POST if request.method == "POST" and done is None else None, items=items
    )

    def run(data: dict[str, Any]) -> Any:
        return actions.review_record(
            acting_user(request),
            item,
            answers=form.answers(),
            prohibitions=data["prohibitions"],
            comment=data["comment"],
            request=request,
        )

    if done is None and panels.submit(request, form, run, _("The review was recorded.")):
        return redirect("supervision:spot_check_plan", pk=item.sample.plan_id)
    token = viewing.view_record(acting_user(request), record, request=request)
    context = {
        "item": item,
        "record": record,
        "activity": activity,
        "form": form,
        "done": done,
        "items": items,
        "done_rows": [
            (checklist.ART13_BY_CODE[code].text, Answer(answer).label)
            for code, answer in (done.answers if done else {}).items()
            if code in checklist.ART13_BY_CODE
        ],
        "duration": format_duration(duration_of(record)),
        "playable": tokens.disposal_of(record) is None and tokens.playable(record),
        "play_url": f"{reverse('media:play', args=[record.pk])}?t={token}",
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "supervision/spot_checks/review.html", context, status=status)
