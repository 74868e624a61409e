"""The archivist's pages (R18.1): closed cases awaiting archiving, and the review of one
case's file (catalogue order, remarks, note, retention, archiving)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liuhen.archives import clocks, numbering
from liuhen.archives.actions import case_file as actions
from liuhen.archives.actions import package as package_actions
from liuhen.archives.forms import ArchiveForm, NoteForm, RemarksForm
from liuhen.archives.models import ArchivePackage, CaseFile, CaseFileEntry, Retention
from liuhen.archives.perms import ArchivePerms
from liuhen.cases.http import AuthenticatedRequest
from liuhen.cases.models import Case
from liuhen.core import access, buttons, rules
from liuhen.core.navigation import belongs_to

PAGE_SIZE = 50


@login_required
@belongs_to("archives")
def queue(request: AuthenticatedRequest) -> HttpResponse:
    access.require(request.user, ArchivePerms.QUEUE, request=request)
    waiting = access.visible(
        request.user,
        Case.objects.filter(closed_at__isnull=False, archived_at__isnull=True)
        .select_related("case_file")
        .order_by("closed_at", "id"),
    )
    page = Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(case, clocks.archiving_clock(case)) for case in page]
    return render(
        request,
        "archives/queue.html",
        {"page": page, "rows": rows, "today": timezone.localdate()},
    )


def _case(request: AuthenticatedRequest, case_pk: int, action: str) -> Case:
    return access.get_visible_or_404(request.user, Case, action=action, request=request, pk=case_pk)


def _case_file(request: AuthenticatedRequest, case: Case, action: str) -> CaseFile:
    return access.get_visible_or_404(
        request.user, CaseFile, action=action, request=request, case=case
    )


@login_required
@belongs_to("archives")
def review(request: AuthenticatedRequest, case_pk: int) -> HttpResponse:
    case = _case(request, case_pk, ArchivePerms.VIEW)
    case_file = access.visible(request.user, CaseFile.objects.filter(case=case)).first()
    entries = list(case_file.entries.order_by("position")) if case_file else []
    suggested = numbering.suggested_retention(case)
    rule = rules.get(numbering.retention_rule_key(case))
    return render(
        request,
        "archives/review.html",
        {
            "case": case,
            "case_file": case_file,
            "entries": entries,
            "note_form": NoteForm(initial={"note": case_file.note if case_file else ""}),
            "archive_form": ArchiveForm(
                initial={"retention": case_file.suggested_retention if case_file else suggested}
            ),
            "suggested_label": dict(Retention.choices).get(suggested, suggested),
            "retention_rule": rule,
            "clock": clocks.archiving_clock(case),
            "package": access.visible(
                request.user, ArchivePackage.objects.filter(case=case)
            ).first(),
        },
    )


@login_required
@require_POST
def assemble(request: AuthenticatedRequest, case_pk: int) -> HttpResponse:
    case = _case(request, case_pk, ArchivePerms.ASSEMBLE)
    buttons.press(
        request,
        lambda: actions.assemble_case_file(request.user, case, request=request),
        _("The case file was assembled and bound."),
    )
    return redirect("archives:review", case_pk=case.pk)


def _entry(request: AuthenticatedRequest, entry_pk: int) -> CaseFileEntry:
    return access.get_visible_or_404(
        request.user,
        CaseFileEntry.objects.select_related("case_file__case"),
        action=ArchivePerms.REVIEW,
        request=request,
        pk=entry_pk,
    )


@login_required
@require_POST
def move(request: AuthenticatedRequest, entry_pk: int) -> HttpResponse:
    entry = _entry(request, entry_pk)
    offset = -1 if request.POST.get("direction") == "up" else 1
    buttons.press(
        request,
        lambda: actions.move_entry(request.user, entry, offset=offset, request=request),
        _("The catalogue order was changed."),
    )
    return redirect("archives:review", case_pk=entry.case_file.case_id)


@login_required
@require_POST
def remarks(request: AuthenticatedRequest, entry_pk: int) -> HttpResponse:
    entry = _entry(request, entry_pk)
    form = RemarksForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("remarks", [])))
    else:
        text = form.cleaned_data["remarks"]
        buttons.press(
            request,
            lambda: actions.annotate_entry(request.user, entry, remarks=text, request=request),
            _("The remarks were saved."),
        )
    return redirect("archives:review", case_pk=entry.case_file.case_id)


@login_required
@require_POST
def note(request: AuthenticatedRequest, case_pk: int) -> HttpResponse:
    case = _case(request, case_pk, ArchivePerms.VIEW)
    case_file = _case_file(request, case, ArchivePerms.REVIEW)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("note", [])))
    else:
        text = form.cleaned_data["note"]
        buttons.press(
            request,
            lambda: actions.set_note(request.user, case_file, note=text, request=request),
            _("The note was saved."),
        )
    return redirect("archives:review", case_pk=case.pk)


@login_required
@require_POST
def archive(request: AuthenticatedRequest, case_pk: int) -> HttpResponse:
    case = _case(request, case_pk, ArchivePerms.VIEW)
    case_file = _case_file(request, case, ArchivePerms.ARCHIVE)
    form = ArchiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the retention period."))
        return redirect("archives:review", case_pk=case.pk)
    retention = form.cleaned_data["retention"]
    done = buttons.press(
        request,
        lambda: actions.archive_case_file(
            request.user, case_file, retention=retention, request=request
        ),
        _("The case file was archived."),
    )
    if done is not None:
        messages.info(request, _("Archive number: %(number)s") % {"number": done.archive_number})
        # The package holds the file as archived: built at once, so the case never sits
        # archived without one (a failure here leaves the export to build it later).
        archived = done.case
        buttons.press(
            request,
            lambda: package_actions.build_archive_package(request.user, archived, request=request),
            _("The archive package was built."),
        )
    return redirect("archives:review", case_pk=case.pk)


@login_required
def bound_pdf(request: AuthenticatedRequest, case_pk: int) -> HttpResponse:
    case = _case(request, case_pk, ArchivePerms.VIEW)
    case_file = _case_file(request, case, ArchivePerms.VIEW)
    try:
        pdf = actions.open_bound_pdf(request.user, case_file, request=request)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("archives:review", case_pk=case.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = case_file.archive_number or case.number
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(name, safe='')}.pdf"
    return response
