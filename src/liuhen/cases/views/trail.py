"""The case's trail 全程留痕 (R1.1): the whole history a page at a time, and its export as
PDF, XLSX or CSV. Whoever may read the case reads its trail; anyone else gets 404 (the
case's existence is not revealed), audited."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from liuhen.cases import timeline
from liuhen.cases.actions.registration import read_timeline
from liuhen.cases.actions.trail import export_trail
from liuhen.cases.http import AuthenticatedRequest
from liuhen.cases.models import Case
from liuhen.cases.perms import CasePerms
from liuhen.cases.trail import EXPORT_FORMATS, REGISTER
from liuhen.core import access, registry, tabular

PAGE_SIZE = 50


def _case(request: AuthenticatedRequest, pk: int) -> Case:
    return access.get_visible_or_404(
        request.user, Case, action=CasePerms.TIMELINE, request=request, pk=pk
    )


@login_required
def trail_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    try:
        number = max(1, int(request.GET.get("page") or 1))
    except ValueError as exc:
        raise Http404 from exc
    read = read_timeline(
        request.user,
        case,
        offset=(number - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
        count=True,
        request=request,
    )
    page = Paginator(range(read.total or 0), PAGE_SIZE).get_page(number)
    return render(
        request,
        "cases/trail.html",
        {"case": case, "page": page, "entries": timeline.entries(read.events)},
    )


@login_required
def trail_export(request: AuthenticatedRequest, pk: int, fmt: str) -> HttpResponseBase:
    """The whole trail, oldest first, as ``fmt``; the export is itself in the trail."""
    case = _case(request, pk)
    if fmt not in EXPORT_FORMATS:
        raise Http404(fmt)
    events = export_trail(request.user, case, fmt=fmt, request=request)
    name = REGISTER.file_name()
    if fmt == "csv":
        return tabular.csv_response(REGISTER.headers(), REGISTER.rows(events), name)
    if fmt == "xlsx":
        return tabular.xlsx_response(
            REGISTER.headers(), REGISTER.rows(events), name, title=str(REGISTER.title)
        )
    html = render_to_string(
        "cases/trail_print.html",
        {
            "case": case,
            "headers": REGISTER.headers(),
            "rows": list(REGISTER.rows(events)),
            "printed_at": timezone.localtime(),
        },
        request=request,
    )
    response = HttpResponse(registry.pdf_renderers["html"](html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response
