"""The findings register (制度第二十三条): every stored finding, filtered by unit, kind,
open or closed; a finding with its evidence links, its dismissal with a reason, and the
way to order its rectification."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from liuhen.core import access, panels
from liuhen.supervision.actions import catalogue as catalogue_actions
from liuhen.supervision.models import Finding, RectificationOrder, Severity
from liuhen.supervision.perms import FindingPerms, RectificationPerms
from liuhen.supervision.rectification import catalogue, registers
from liuhen.supervision.rectification.forms import DismissForm
from liuhen.supervision.views._common import acting_user, evidence_links, units_for


@login_required
def finding_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, FindingPerms.LIST, request=request)
    findings, filters = registers.filtered_findings(request.user, request.GET)
    page = Paginator(findings, registers.PAGE_SIZE).get_page(request.GET.get("page"))
    for finding in page:
        finding.kind_label = catalogue.kind_label(finding.kind)  # type: ignore[attr-defined]
    context = {
        "page": page,
        "unit": filters.get("unit", ""),
        "kind": filters.get("kind", ""),
        "state": filters.get("state", ""),
        "severity": filters.get("severity", ""),
        "filter_query": urlencode(filters),
        "units": units_for(acting_user(request)),
        "kinds": [(k.code, k.label) for k in catalogue.kinds()],
        "states": [
            (registers.OPEN, pgettext("finding", "Open")),
            (registers.CLOSED, pgettext("finding", "Closed")),
        ],
        "severities": Severity.choices,
    }
    return render(request, "supervision/findings/list.html", context)


@login_required
def finding_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    access.require(request.user, FindingPerms.LIST, request=request)
    findings, filters = registers.filtered_findings(request.user, request.GET)
    return registers.FINDINGS.export(
        request.user, findings, filters=filters, fmt=fmt, request=request
    )


@login_required
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    finding = access.get_visible_or_404(
        request.user,
        Finding.objects.select_related("unit", "case", "officer", "closure__closed_by"),
        action=FindingPerms.VIEW,
        request=request,
        pk=pk,
    )
    user = acting_user(request)
    can_dismiss = finding.is_open and access.can(user, FindingPerms.DISMISS, finding)
    form = DismissForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        access.require(user, FindingPerms.DISMISS, finding, request=request)

        def run(data: dict[str, str]) -> object:
            return catalogue_actions.dismiss_finding(
                user, finding, reason=data["reason"], request=request
            )

        if panels.submit(request, form, run, _("The finding was dismissed.")) is not None:
            return redirect("supervision:finding", pk=finding.pk)
    kind = catalogue.kind(finding.kind)
    context = {
        "finding": finding,
        "kind_label": catalogue.kind_label(finding.kind),
        "owner_label": kind.owner_label if kind else "",
        "evidence": evidence_links(finding.evidence),
        "orders": access.visible(user, RectificationOrder.objects.filter(findings=finding)),
        "form": form,
        "can_dismiss": can_dismiss,
        "can_order": finding.is_open and access.can(user, RectificationPerms.ORDER),
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "supervision/findings/detail.html", context, status=status)
