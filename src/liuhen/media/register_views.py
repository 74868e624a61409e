"""The AV register 音像记录台账 (R16.1, R4.3): the list with its filters, the print view and
the XLSX/CSV exports of the same rows. Opening it needs "media.list"; the rows are the
records the user may see."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from liuhen.accounts.models import Unit
from liuhen.core import access
from liuhen.media import register
from liuhen.media.models import AvRecord
from liuhen.media.perms import MediaPerms


def _query(filters: register.Filters) -> str:
    shown = {name: value for name, value in filters.values.items() if name != "time"}
    if shown and filters.get("time") != "captured":
        shown["time"] = filters.get("time")
    return urlencode(shown)


@login_required
def register_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, MediaPerms.LIST, request=request)
    records, filters = register.filtered(request.user, request.GET)
    page = Paginator(records, register.PAGE_SIZE).get_page(request.GET.get("page"))
    visible = access.visible(request.user, AvRecord.objects.all()).values("unit_id")
    return render(
        request,
        "media/register.html",
        {
            "page": page,
            "rows": [register.row(record) for record in page],
            "filters": filters.values,
            "filter_query": _query(filters),
            "units": Unit.objects.filter(pk__in=visible).order_by("name"),
            "may_upload": access.can(request.user, MediaPerms.UPLOAD),
        },
    )


@login_required
def register_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The register as CSV or XLSX: the list's filter, visible records only, audited."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    access.require(request.user, MediaPerms.LIST, request=request)
    records, filters = register.filtered(request.user, request.GET)
    register.record_export(
        request.user, filters=filters, fmt=fmt, rows=records.count(), request=request
    )
    if fmt == "csv":
        return register.csv_response(records)
    return register.xlsx_response(records)


@login_required
def register_print(request: HttpRequest) -> HttpResponse:
    access.require(request.user, MediaPerms.LIST, request=request)
    records, filters = register.filtered(request.user, request.GET)
    total = records.count()
    register.record_export(
        request.user,
        filters=filters,
        fmt="print",
        rows=min(total, register.PRINT_LIMIT),
        request=request,
    )
    return render(
        request,
        "media/register_print.html",
        {
            "rows": [register.row(record) for record in records[: register.PRINT_LIMIT]],
            "total": total,
            "truncated": total > register.PRINT_LIMIT,
            "limit": register.PRINT_LIMIT,
            "filters": filters.values,
            "printed_at": timezone.localtime(),
        },
    )
