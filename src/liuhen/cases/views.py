"""Case register 案件台账 (read-only here; the cases feature adds the workflow)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from liuhen.accounts import access
from liuhen.cases.models import Case, Stage


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "case.list", request=request)
    cases = access.visible(request.user, Case.objects.select_related("unit"))
    query = request.GET.get("q", "").strip()
    if query:
        cases = cases.filter(Q(number__icontains=query) | Q(title__icontains=query))
    stage = request.GET.get("stage", "")
    if stage in Stage.values:
        cases = cases.filter(stage=stage)
    page = Paginator(cases, 25).get_page(request.GET.get("page"))
    template = "cases/_table.html" if request.headers.get("HX-Request") else "cases/list.html"
    return render(
        request, template, {"page": page, "query": query, "stage": stage, "stages": Stage.choices}
    )
