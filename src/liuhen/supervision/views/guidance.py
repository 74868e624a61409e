"""Focused guidance 重点指导督办 (制度第二十二条): the units crossing a threshold, the units
listed with their plans, and each entry's follow-up."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from liuhen.accounts.models import Unit
from liuhen.core import access, panels, rules
from liuhen.supervision.actions import guidance as actions
from liuhen.supervision.models import GuidanceEntry
from liuhen.supervision.perms import GuidancePerms
from liuhen.supervision.rectification import guidance
from liuhen.supervision.rectification.forms import FollowUpForm, GuidanceForm
from liuhen.supervision.views._common import acting_user, units_for


@login_required
def guidance_page(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    access.require(user, GuidancePerms.LIST, request=request)
    can_manage = access.can(user, GuidancePerms.MANAGE)
    form = GuidanceForm(
        request.POST if request.method == "POST" else None,
        initial={"unit": request.GET.get("unit")},
        units=units_for(user),
    )
    if request.method == "POST":
        access.require(user, GuidancePerms.MANAGE, request=request)

        def run(data: dict[str, Any]) -> GuidanceEntry:
            return actions.list_unit_for_guidance(
                user, data["unit"], reason=data["reason"], plan=data["plan"], request=request
            )

        entry = panels.submit(request, form, run, _("The unit was listed for focused guidance."))
        if entry is not None:
            return redirect("supervision:guidance_entry", pk=entry.pk)
    crossing = guidance.crossing()
    units = {u.pk: u for u in access.visible(user, Unit.objects.filter(pk__in=crossing))}
    listed = set(guidance.active_entries().values_list("unit_id", flat=True))
    crossing_rows = [
        {"unit": units[unit_id], "crossed": crossed, "listed": unit_id in listed}
        for unit_id, crossed in sorted(crossing.items())
        if unit_id in units
    ]
    entries = access.visible(
        user, GuidanceEntry.objects.select_related("unit").prefetch_related("follow_ups")
    ).order_by("-created_at")
    thresholds = [
        {"label": metric.label, "rule": rules.get(metric.rule_key)} for metric in guidance.METRICS
    ]
    context = {
        "crossing": crossing_rows,
        "entries": entries,
        "thresholds": thresholds,
        "period": rules.get("guidance_period_days"),
        "form": form,
        "can_manage": can_manage,
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "supervision/guidance/page.html", context, status=status)


@login_required
def guidance_entry(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    entry = access.get_visible_or_404(
        user,
        GuidanceEntry.objects.select_related("unit", "created_by"),
        action=GuidancePerms.LIST,
        request=request,
        pk=pk,
    )
    form = FollowUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        access.require(user, GuidancePerms.MANAGE, entry, request=request)

        def run(data: dict[str, Any]) -> object:
            return actions.follow_up_guidance(
                user, entry, note=data["note"], concludes=data["concludes"], request=request
            )

        if panels.submit(request, form, run, _("The follow-up was recorded.")) is not None:
            return redirect("supervision:guidance_entry", pk=entry.pk)
    follow_ups = list(entry.follow_ups.select_related("recorded_by"))
    concluded = any(f.concludes for f in follow_ups)
    context = {
        "entry": entry,
        "follow_ups": follow_ups,
        "form": form,
        "can_follow_up": not concluded and access.can(user, GuidancePerms.MANAGE, entry),
        "concluded": concluded,
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "supervision/guidance/entry.html", context, status=status)
