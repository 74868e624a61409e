"""The AV register 音像记录台账 (R16.1, R4.3): the list with its filters, the print view and
the XLSX/CSV exports of the same rows (the register kit). Opening it needs "media.list";
the rows are the records the user may see."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from liuhen.accounts.models import Unit
from liuhen.core import access
from liuhen.media import registers
from liuhen.media.models import AvRecord
from liuhen.media.perms import MediaPerms


def _query(filters: registers.Filters) -> str:
    shown = {name: value for name, value in filters.values.items() if name != "time"}
    if shown and filters.get("time") != "captured":
        shown["time"] = filters.get("time")
    return urlencode(shown)


@login_required
def register_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, MediaPerms.LIST, request=request)
    records, filters = registers.filtered(request.user, request.GET)
    page = Paginator(records, registers.PAGE_SIZE).get_page(request.GET.get("page"))
    units_seen = access.visible(request.user, AvRecord.objects.all()).values("unit_id")
    return render(
        request,
        "media/register.html",
        {
            "page": page,
            "rows": [registers.row(record) for record in page],
            "filters": filters.values,
            "filter_query": _query(filters),
            "units": access.visible(
                request.user, Unit.objects.filter(pk__in=units_seen).order_by("name")
            ),
            "may_upload": access.can(request.user, MediaPerms.UPLOAD),
        },
    )


@login_required
def register_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The register as CSV or XLSX: the list's filter, visible records only, audited."""
    access.require(request.user, MediaPerms.LIST, request=request)
    records, filters = registers.filtered(request.user, request.GET)
    return registers.REGISTER.export(
        request.user, records, filters=filters.values, fmt=fmt, request=request
    )


@login_required
def register_print(request: HttpRequest) -> HttpResponse:
    access.require(request.user, MediaPerms.LIST, request=request)
    records, filters = registers.filtered(request.user, request.GET)
    total = records.count()
    registers.REGISTER.record(
        request.user,
        filters=filters.values,
        fmt="print",
        rows=min(total, registers.PRINT_LIMIT),
        request=request,
    )
    return render(
        request,
        "media/register_print.html",
        {
            "rows": [registers.row(record) for record in records[: registers.PRINT_LIMIT]],
            "total": total,
            "truncated": total > registers.PRINT_LIMIT,
            "limit": registers.PRINT_LIMIT,
            "filters": filters.values,
            "printed_at": timezone.localtime(),
        },
    )
