"""The delivery register 送达台账 (R10.2): the filtered list and its CSV and XLSX exports
(the register kit; an export is an audited read)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from liuhen.core import access
from liuhen.delivery.models import ServiceMode
from liuhen.delivery.perms import ServicePerms
from liuhen.delivery.service import register as delivery_register
from liuhen.delivery.views.helpers import acting_user


@login_required
def register(request: HttpRequest) -> HttpResponse:
    access.require(request.user, ServicePerms.LIST, request=request)
    records, filters = delivery_register.filtered(request.user, request.GET)
    page = Paginator(records, delivery_register.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "delivery/register.html",
        {
            "page": page,
            "rows": delivery_register.rows_of(list(page)),
            "filters": filters.values,
            "filter_query": urlencode(filters.values),
            "modes": ServiceMode.choices,
            "units": delivery_register.units_of(request.user),
        },
    )


@login_required
def register_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The register as CSV or XLSX: the page's filter, visible records only, audited."""
    access.require(request.user, ServicePerms.LIST, request=request)
    records, filters = delivery_register.filtered(request.user, request.GET)
    return delivery_register.REGISTER.export(
        acting_user(request), records, filters=filters.values, fmt=fmt, request=request
    )
