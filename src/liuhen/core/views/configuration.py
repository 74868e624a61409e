"""The system admin's pages for the legal rules and the holiday calendar (R2.1).

Only ``config.manage`` gets in; other accounts get 403 and the denial is audited. Views
are thin: changes go through ``core.actions.configuration``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from liuhen.core import access, rules
from liuhen.core.actions import configuration
from liuhen.core.forms import (
    CalendarDayForm,
    RemoveDayForm,
    ResetForm,
    RuleForm,
    YearForm,
    parse_value,
)
from liuhen.core.models import CalendarDay, CalendarYear, RuleOverride
from liuhen.core.perms import ConfigPerms
from liuhen.core.views.helpers import acting_user


def _apply(form: BaseForm, error: ValidationError) -> None:
    form.add_error(None, error.messages)


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, ConfigPerms.MANAGE, request=request)
    return render(request, "core/rules.html", {"rules": rules.all_rules()})


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, key: str) -> HttpResponse:
    access.require(request.user, ConfigPerms.MANAGE, request=request)
    try:
        rule = rules.get(key)
    except rules.UnknownRule:
        raise Http404 from None
    post = request.POST if request.method == "POST" else None
    resetting = post is not None and "reset" in post
    form = RuleForm(None if resetting else post, rule=rule)
    reset_form = ResetForm(post if resetting else None, prefix="reset")
    if post is not None:
        bound = reset_form if resetting else form
        if bound.is_valid():
            try:
                if resetting:
                    configuration.reset_rule(
                        acting_user(request),
                        key,
                        reset_form.cleaned_data["reason"],
                        request=request,
                    )
                else:
                    value = parse_value(rule, form.cleaned_data["value"])
                    configuration.set_rule(
                        acting_user(request),
                        key,
                        value,
                        form.cleaned_data["reason"],
                        request=request,
                    )
            except ValidationError as error:
                _apply(bound, error)
            else:
                messages.success(request, _("The rule has been saved."))
                return redirect("config:rule_edit", key=key)
    history = access.visible(request.user, RuleOverride.objects.filter(key=key)).order_by("-id")[
        :50
    ]
    context = {
        "rule": rule,
        "form": form,
        "reset_form": reset_form,
        "history": history,
        "roll_forward": rules.roll_forward_display(rule) if rules.can_roll(rule) else "",
    }
    return render(request, "core/rule_edit.html", context)


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or 0)
    except ValueError:
        year = 0
    return year if 2000 <= year <= 2100 else timezone.localdate().year + 1


@login_required
@require_http_methods(["GET", "POST"])
def calendar_page(request: HttpRequest) -> HttpResponse:
    access.require(request.user, ConfigPerms.MANAGE, request=request)
    year = _year(request)
    operation = request.POST.get("op", "") if request.method == "POST" else ""
    day_form = CalendarDayForm(request.POST if operation == "add" else None, prefix="day")
    year_form = YearForm(request.POST if operation == "year" else None, prefix="year")
    remove_error: list[str] = []
    if operation:
        try:
            done = _change_calendar(request, operation, day_form, year_form)
        except ValidationError as error:
            target = {"add": day_form, "year": year_form}.get(operation)
            if target is not None:
                _apply(target, error)
            else:
                remove_error = error.messages
            done = None
        if done is not None:
            messages.success(request, _("The calendar has been saved."))
            return redirect(f"{reverse('config:calendar')}?year={done}")
    marker = access.visible(request.user, CalendarYear.objects.filter(year=year)).first()
    days = access.visible(request.user, CalendarDay.objects.filter(date__year=year)).order_by(
        "date"
    )
    context: dict[str, Any] = {
        "year": year,
        "marker": marker,
        "days": days,
        "day_form": day_form,
        "year_form": year_form,
        "remove_error": remove_error,
        "years": access.visible(request.user, CalendarYear.objects.order_by("-year")),
        "previous_year": year - 1,
        "next_year": year + 1,
    }
    return render(request, "core/calendar.html", context)


def _change_calendar(
    request: HttpRequest, operation: str, day_form: CalendarDayForm, year_form: YearForm
) -> int | None:
    """Run the posted change; the year to show afterwards, or None when the form is invalid."""
    if operation == "add":
        if not day_form.is_valid():
            return None
        data = day_form.cleaned_data
        row = configuration.set_calendar_day(
            acting_user(request),
            data["date"],
            data["kind"],
            data["name"],
            data["reason"],
            request=request,
        )
        return int(row.date.year)
    if operation == "remove":
        form = RemoveDayForm(request.POST, prefix="remove")
        if not form.is_valid():
            raise ValidationError(_("Give a reason for the change."))
        day: dt.date = form.cleaned_data["date"]
        configuration.remove_calendar_day(
            acting_user(request), day, form.cleaned_data["reason"], request=request
        )
        return day.year
    if operation == "year":
        if not year_form.is_valid():
            return None
        data = year_form.cleaned_data
        configuration.set_year_complete(
            acting_user(request), data["year"], data["complete"], data["reason"], request=request
        )
        return int(data["year"])
    raise Http404
