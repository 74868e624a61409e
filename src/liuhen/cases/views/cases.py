"""Case register 案件台账, the case page, linking a subject and the 文号 pattern."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from liuhen.cases import numbering, register, sections, timeline
from liuhen.cases.actions.numbering import set_number_pattern
from liuhen.cases.actions.registration import link_party, read_timeline, view_case
from liuhen.cases.forms.cases import LinkSubjectForm
from liuhen.cases.http import AuthenticatedRequest
from liuhen.cases.models import Case, Stage
from liuhen.cases.perms import CasePerms
from liuhen.cases.sections import header
from liuhen.cases.sections.subject import linkable_cases
from liuhen.cases.views.screen import case_for
from liuhen.core import access, buttons
from liuhen.core.perms import ConfigPerms
from liuhen.subjects.models import Subject
from liuhen.subjects.perms import SubjectPerms

PRINT_LIMIT = 2000  # a printed register longer than this is a job for the XLSX export


@login_required
def case_list(request: AuthenticatedRequest) -> HttpResponse:
    access.require(request.user, CasePerms.LIST, request=request)
    cases, filters = register.filtered(request.user, request.GET)
    page = Paginator(register.with_parties(cases), 25).get_page(request.GET.get("page"))
    template = "cases/_table.html" if request.headers.get("HX-Request") else "cases/list.html"
    return render(
        request,
        template,
        {
            "page": page,
            "query": filters.get("q", ""),
            "stage": filters.get("stage", ""),
            "stages": Stage.choices,
            "filter_query": request.GET.urlencode() if filters else "",
        },
    )


def _stages(case: Case) -> list[dict[str, object]]:
    """R3.1: the five stages, with which are done, current and ahead."""
    values = list(Stage.values)
    current = values.index(case.stage) if case.stage in values else 0
    return [
        {"value": value, "label": label, "done": i < current, "current": i == current}
        for i, (value, label) in enumerate(Stage.choices)
    ]


@login_required
def case_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = case_for(request, pk, CasePerms.VIEW)
    view_case(request.user, case, request=request)
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "stages": _stages(case),
            "header": header.summary(request.user, case),
            "sections": sections.for_case(request, case),
        },
    )


@login_required
def case_timeline(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """More timeline entries (htmx "load more"), keyed by the last seq shown."""
    case = access.get_visible_or_404(
        request.user, Case, action=CasePerms.TIMELINE, request=request, pk=pk
    )
    try:
        before = int(request.GET.get("before", ""))
    except ValueError as exc:
        raise Http404 from exc
    read = read_timeline(
        request.user, case, before=before, limit=timeline.PAGE_SIZE, request=request
    )
    return render(
        request,
        "cases/_timeline_rows.html",
        {"case": case, "entries": timeline.entries(read.events), "more": read.more},
    )


@login_required
def register_export(request: AuthenticatedRequest, fmt: str) -> HttpResponseBase:
    """The register as CSV or XLSX: the list's filter, visible cases only, audited (R4.3)."""
    access.require(request.user, CasePerms.LIST, request=request)
    cases, filters = register.filtered(request.user, request.GET)
    return register.REGISTER.export(request.user, cases, filters=filters, fmt=fmt, request=request)


@login_required
def register_print(request: AuthenticatedRequest) -> HttpResponse:
    access.require(request.user, CasePerms.LIST, request=request)
    cases, filters = register.filtered(request.user, request.GET)
    total = cases.count()
    register.REGISTER.record(
        request.user, filters=filters, fmt="print", rows=min(total, PRINT_LIMIT), request=request
    )
    return render(
        request,
        "cases/register_print.html",
        {
            "cases": register.with_parties(register.with_officers(cases))[:PRINT_LIMIT],
            "total": total,
            "truncated": total > PRINT_LIMIT,
            "limit": PRINT_LIMIT,
            "filters": filters,
            "stage_label": dict(Stage.choices).get(filters.get("stage", ""), ""),
            "printed_at": timezone.localtime(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def number_pattern(request: AuthenticatedRequest) -> HttpResponse:
    """The system admin sets the 文号 pattern (audited)."""
    access.require(request.user, ConfigPerms.MANAGE, request=request)
    pattern = numbering.current_pattern()
    error = ""
    if request.method == "POST":
        pattern = request.POST.get("pattern", "")
        try:
            set_number_pattern(request.user, pattern, request=request)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("The number pattern has been saved."))
            return redirect("cases:number_pattern")
    example = ""
    if not error:
        example = numbering.format_number(
            pattern,
            field="农药",
            kind=numbering.KIND_PENALTY,
            year=timezone.localdate().year,
            serial=12,
        )
    return render(
        request,
        "cases/number_pattern.html",
        {"pattern": pattern, "error": error, "example": example},
        status=422 if error else 200,
    )


@login_required
@require_POST
def link_subject(request: AuthenticatedRequest, subject_pk: int) -> HttpResponse:
    """R18.3: the subject page's "Add to case": the subject becomes a party of a case."""
    user = request.user
    subject = access.get_visible_or_404(
        user, Subject, action=SubjectPerms.VIEW, request=request, pk=subject_pk
    )
    form = LinkSubjectForm(request.POST, cases=linkable_cases(user, subject))
    if not form.is_valid():
        messages.error(request, _("Choose one of your cases and the role."))
        return redirect("subjects:detail", pk=subject.pk)
    case = access.get_visible_or_404(
        user, Case, action=CasePerms.CHANGE, request=request, pk=form.cleaned_data["case"]
    )
    buttons.press(
        request,
        lambda: link_party(user, case, subject, form.cleaned_data["role"], request=request),
        _("The subject was linked to the case."),
    )
    return redirect("subjects:detail", pk=subject.pk)
