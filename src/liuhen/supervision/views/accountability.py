"""The accountability ledger 责任追究 (制度第二十三条): seen only by the supervisors and the
agency head; a supervisor records a decision with the findings it rests on."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from liuhen.core import access, panels
from liuhen.supervision.actions import accountability as actions
from liuhen.supervision.models import AccountabilityRecord, Finding
from liuhen.supervision.perms import AccountabilityPerms
from liuhen.supervision.rectification import registers
from liuhen.supervision.rectification.catalogue import kind_label
from liuhen.supervision.rectification.forms import AccountabilityForm, enforcement_people
from liuhen.supervision.views._common import acting_user, units_for


@login_required
def record_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, AccountabilityPerms.LIST, request=request)
    records, filters = registers.filtered_records(request.user, request.GET)
    page = Paginator(records, registers.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "unit": filters.get("unit", ""),
        "filter_query": urlencode(filters),
        "units": units_for(acting_user(request)),
        "can_record": access.can(request.user, AccountabilityPerms.RECORD),
    }
    return render(request, "supervision/accountability/list.html", context)


@login_required
def record_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    access.require(request.user, AccountabilityPerms.LIST, request=request)
    records, filters = registers.filtered_records(request.user, request.GET)
    return registers.ACCOUNTABILITY.export(
        request.user, records, filters=filters, fmt=fmt, request=request
    )


@login_required
def record_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    access.require(user, AccountabilityPerms.RECORD, request=request)
    wanted = [pk for pk in request.GET.getlist("finding") if pk.isdigit()][:50]
    findings = list(access.visible(user, Finding.objects.filter(pk__in=wanted)))
    unit_id = next((f.unit_id for f in findings if f.unit_id is not None), None)
    form = AccountabilityForm(
        request.POST if request.method == "POST" else None,
        initial={"unit": unit_id},
        units=units_for(user),
        people=enforcement_people(),
    )

    def run(data: dict[str, Any]) -> AccountabilityRecord:
        return actions.record_accountability(
            user,
            unit=data["unit"],
            person=data["person"],
            facts=data["facts"],
            rule=data["rule"],
            decision=data["decision"],
            decision_document=data["decision_document"],
            decided_on=data["decided_on"],
            findings=findings,
            request=request,
        )

    record = panels.submit(request, form, run, _("The accountability record was saved."))
    if record is not None:
        return redirect("supervision:accountability_record", pk=record.pk)
    for finding in findings:
        finding.kind_label = kind_label(finding.kind)  # type: ignore[attr-defined]
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request,
        "supervision/accountability/new.html",
        {"form": form, "findings": findings},
        status=status,
    )


@login_required
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    record = access.get_visible_or_404(
        user,
        AccountabilityRecord.objects.select_related("unit", "person", "recorded_by"),
        action=AccountabilityPerms.VIEW,
        request=request,
        pk=pk,
    )
    actions.view_accountability(user, record, request=request)
    findings = list(record.findings.all())
    for finding in findings:
        finding.kind_label = kind_label(finding.kind)  # type: ignore[attr-defined]
    return render(
        request,
        "supervision/accountability/detail.html",
        {"record": record, "findings": findings},
    )
