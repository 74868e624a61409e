"""The subject's file (R18.3): one section a page at a time (htmx), the timeline of all
sections, the export as PDF or XLSX, and who owns a vehicle, vessel or project.

Views parse input, fetch through the access idiom and call the actions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liuhen.accounts.acting import acting_user
from liuhen.core import access, buttons
from liuhen.subjects import actions, file_export, queries, sections
from liuhen.subjects.models import OWNER_KINDS, Subject
from liuhen.subjects.perms import SubjectPerms

CANDIDATES_SHOWN = 25


def _subject(request: HttpRequest, pk: int, action: str = SubjectPerms.VIEW) -> Subject:
    return access.get_visible_or_404(
        request.user, Subject.objects.all(), action=action, request=request, pk=pk
    )


@login_required
def section(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """One page of one section, for the pager's htmx swap."""
    subject = _subject(request, pk)
    found = next((s for s in sections.registered() if s.key == key), None)
    if found is None:
        raise Http404(key)
    ctx = sections.render_context(request.user, subject, found, request.GET.get("page", 1))
    return render(request, found.template, {"ctx": ctx, "subject": subject})


@login_required
def timeline(request: HttpRequest, pk: int) -> HttpResponse:
    subject = _subject(request, pk)
    page, items = sections.timeline(request.user, subject, request.GET.get("page", 1))
    context = {"subject": subject, "page": page, "items": items}
    template = (
        "subjects/_timeline.html" if request.headers.get("HX-Request") else "subjects/timeline.html"
    )
    return render(request, template, context)


@login_required
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    subject = _subject(request, pk, SubjectPerms.EXPORT_FILE)
    if fmt not in actions.FILE_EXPORT_FORMATS:
        raise Http404(fmt)
    found = actions.export_file(acting_user(request), subject, fmt=fmt, request=request)
    if fmt == "xlsx":
        return file_export.xlsx_response(subject, found)
    return file_export.pdf_response(subject, found)


@login_required
def owner(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose the unit or person a vehicle, vessel or project belongs to."""
    subject = _subject(request, pk, SubjectPerms.CHANGE)
    query = request.GET.get("q", "").strip()
    candidates = access.visible(
        request.user, Subject.objects.filter(kind__in=OWNER_KINDS, merged_into__isnull=True)
    )
    found = queries.search(candidates, query)[:CANDIDATES_SHOWN] if query else []
    return render(
        request, "subjects/owner.html", {"subject": subject, "query": query, "candidates": found}
    )


@login_required
@require_POST
def set_owner(request: HttpRequest, pk: int) -> HttpResponse:
    subject = _subject(request, pk, SubjectPerms.CHANGE)
    chosen = request.POST.get("owner", "")
    new_owner = None
    if chosen:
        if not chosen.isdigit():
            raise Http404(chosen)
        new_owner = access.get_visible_or_404(
            request.user,
            Subject.objects.all(),
            action=SubjectPerms.VIEW,
            request=request,
            pk=int(chosen),
        )
    done = buttons.press(
        request,
        lambda: actions.set_owner(acting_user(request), subject, new_owner, request=request),
        _("The owner was saved."),
    )
    return redirect("subjects:detail" if done else "subjects:owner", pk=subject.pk)
