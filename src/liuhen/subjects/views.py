"""Subject pages: list and search, entry form, the subject page, merging (R18.3).

Views parse input, call the actions and render. A subject is fetched with
``access.get_visible_or_404``: one the user may not see answers 404 (audited); lists go
through ``access.visible`` and buttons ask ``access.can``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liuhen.accounts.acting import acting_user
from liuhen.core import access, buttons, panels
from liuhen.subjects import actions, queries, sections
from liuhen.subjects.forms import SubjectForm
from liuhen.subjects.licences import actions as exchange_actions
from liuhen.subjects.licences import exchange
from liuhen.subjects.models import OWNED_KINDS, Subject, SubjectKind, SubjectLookup
from liuhen.subjects.perms import SubjectPerms

PAGE_SIZE = 25


def _visible(request: HttpRequest) -> QuerySet[Subject]:
    return access.visible(request.user, Subject.objects.all())


def _get_visible(request: HttpRequest, pk: int, action: str = SubjectPerms.VIEW) -> Subject:
    """Subject ``pk`` if the user sees it and may ``action`` it: else 404 (not seen, its
    existence not revealed) or 403 (seen, not allowed), both audited."""
    return access.get_visible_or_404(
        request.user,
        Subject.objects.select_related("merged_into"),
        action=action,
        request=request,
        pk=pk,
    )


@login_required
def subject_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, SubjectPerms.LIST, request=request)
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    subjects = queries.search(_visible(request).filter(merged_into__isnull=True), query)
    if kind in SubjectKind.values:
        subjects = subjects.filter(kind=kind)
    page = Paginator(subjects, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "kind": kind,
        "kinds": SubjectKind.choices,
        "can_create": access.can(request.user, SubjectPerms.CREATE),
    }
    template = "subjects/_table.html" if request.headers.get("HX-Request") else "subjects/list.html"
    return render(request, template, context)


@login_required
def subject_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subject = _get_visible(request, pk)
    return render(request, "subjects/detail.html", _detail_context(request, subject))


def _lookup_context(request: HttpRequest, subject: Subject, live: bool) -> dict[str, Any]:
    """The newest answer of the data exchange about the subject, and — for whoever may
    change it — the buttons to ask again and to copy the answer into its form."""
    lookup = access.visible(request.user, SubjectLookup.objects.filter(subject=subject)).first()
    may_ask = (
        live
        and subject.kind in (SubjectKind.UNIT, SubjectKind.PERSON)
        and access.can(request.user, SubjectPerms.CHANGE, subject)
    )
    edit = reverse("subjects:edit", args=[subject.pk])
    return {
        "lookup": lookup,
        "lookup_ask_url": reverse("subjects:lookup", args=[subject.pk]) if may_ask else "",
        "lookup_copy_url": f"{edit}?from_lookup={lookup.pk}" if may_ask and lookup else "",
    }


def _detail_context(request: HttpRequest, subject: Subject, **extra: Any) -> dict[str, Any]:
    user = request.user
    live = subject.merged_into_id is None
    return {
        "subject": subject,
        "can_reveal": subject.has_resident_id
        and access.can(user, SubjectPerms.VIEW_IDENTIFIER, subject),
        "can_change": live and access.can(user, SubjectPerms.CHANGE, subject),
        "can_merge": live and access.can(user, SubjectPerms.MERGE, subject),
        "can_export": access.can(user, SubjectPerms.EXPORT_FILE, subject),
        "can_set_owner": live
        and subject.kind in OWNED_KINDS
        and access.can(user, SubjectPerms.CHANGE, subject),
        "owner": _visible(request).filter(pk=subject.owner_id).first()
        if subject.owner_id
        else None,
        "owned": list(_visible(request).filter(owner=subject, merged_into__isnull=True)),
        "sections": sections.sections_for(user, subject, request.GET),
        **_lookup_context(request, subject, live),
        **extra,
    }


@login_required
@require_POST
def reveal_identifier(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the full resident id once, on request, and log that it was shown (R18.5)."""
    subject = _get_visible(request, pk, SubjectPerms.VIEW_IDENTIFIER)
    number = actions.reveal_identifier(acting_user(request), subject, request=request)
    if request.headers.get("HX-Request"):
        return render(request, "subjects/_identifier.html", {"subject": subject, "number": number})
    context = _detail_context(request, subject, revealed_number=number)
    return render(request, "subjects/detail.html", context)


def _next(request: HttpRequest) -> str:
    """Where the form was opened from (e.g. the on-the-spot penalty form), if it is ours."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url and safe else ""


def _return_to(request: HttpRequest, subject: Subject) -> str:
    """The form it came from, with the subject chosen: ``next?subject=<id>``."""
    url = _next(request)
    if not url:
        return ""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}{urlencode({'subject': subject.pk})}"


@login_required
def subject_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, SubjectPerms.CREATE, request=request)
    if request.method == "POST" and request.POST.get("do") in ("lookup", "copy"):
        return _lookup_step(request)
    if request.method == "POST":
        form = SubjectForm(request.POST)
        if form.is_valid():
            try:
                subject = actions.create_subject(
                    acting_user(request),
                    kind=form.cleaned_data["kind"],
                    name=form.cleaned_data["name"],
                    request=request,
                    **form.action_values(),
                )
            except ValidationError as exc:
                return _form_page(request, form, exc)
            messages.success(request, _("The subject was entered."))
            back = _return_to(request, subject)
            return redirect(back) if back else redirect("subjects:detail", pk=subject.pk)
    else:
        form = SubjectForm(initial={"kind": request.GET.get("kind", SubjectKind.UNIT)})
        if request.headers.get("HX-Request"):
            # The kind select changed: only the kind's own fields are swapped.
            return render(request, "subjects/_kind_fields.html", {"form": form})
    return _form_page(request, form)


@login_required
def subject_edit(request: HttpRequest, pk: int) -> HttpResponse:
    subject = _get_visible(request, pk, SubjectPerms.CHANGE)
    initial = {
        field: getattr(subject, field)
        for field in actions.EDITABLE_FIELDS
        if field != "resident_id"
    }
    if request.method == "POST":
        form = SubjectForm(request.POST, initial=initial, fixed_kind=subject.kind)
        if form.is_valid():
            try:
                actions.update_subject(
                    acting_user(request),
                    subject,
                    name=form.cleaned_data["name"],
                    request=request,
                    **form.action_values(),
                )
            except ValidationError as exc:
                return _form_page(request, form, exc, subject=subject)
            messages.success(request, _("The changes were saved."))
            return redirect("subjects:detail", pk=subject.pk)
    else:
        lookup = _visible_lookup(request, request.GET.get("from_lookup"), subject=subject)
        form = SubjectForm(initial=_copied(initial, lookup), fixed_kind=subject.kind)
    return _form_page(request, form, subject=subject)


# --- the data exchange beside the form (R20) ------------------------------------------
# What the exchange has registered is shown beside what the officer typed; it goes into
# the form only when the officer asks for it, and into the subject only when they save.

COPIED_FIELDS = ("name", "legal_representative", "address")


def _visible_lookup(
    request: HttpRequest, pk: Any, subject: Subject | None = None
) -> SubjectLookup | None:
    if not str(pk or "").isdigit():
        return None
    lookups = access.visible(request.user, SubjectLookup.objects.filter(subject=subject))
    return lookups.filter(pk=int(pk)).first()


def _copied(values: dict[str, Any], lookup: SubjectLookup | None) -> dict[str, Any]:
    if lookup is None:
        return values
    fetched = {name: getattr(lookup, name) for name in COPIED_FIELDS if getattr(lookup, name)}
    return {**values, **fetched}


def _lookup_step(request: HttpRequest) -> HttpResponse:
    """The new-subject form's "ask the exchange" and "copy into the form" buttons: the
    form comes back with what was typed (nothing saved) and the exchange's answer."""
    values = {name: request.POST.get(name, "") for name in SubjectForm.base_fields}
    lookup, problem = None, ""
    if request.POST.get("do") == "lookup":
        try:
            lookup = exchange_actions.lookup_subject(
                acting_user(request),
                uscc=values["uscc"],
                resident_id=values["resident_id"],
                request=request,
            )
        except ValidationError as refused:
            problem = " ".join(refused.messages)
        except exchange.ExchangeUnavailable as failed:
            problem = str(failed)
    else:
        lookup = _visible_lookup(request, request.POST.get("lookup"))
        values = _copied(values, lookup)
    return _form_page(request, SubjectForm(initial=values), lookup=lookup, lookup_problem=problem)


def _form_page(
    request: HttpRequest,
    form: SubjectForm,
    error: ValidationError | None = None,
    subject: Subject | None = None,
    **extra: Any,
) -> HttpResponse:
    existing = None
    if error is not None:
        panels.show_refusal(form, error)
        if isinstance(error, actions.DuplicateSubject) and access.can(
            request.user, SubjectPerms.VIEW, error.existing
        ):
            existing = error.existing
    status = 422 if error is not None or (form.is_bound and form.errors) else 200
    context = {
        "form": form,
        "subject": subject,
        "existing": existing,
        "next": _next(request),
        "use_existing": _return_to(request, existing) if existing is not None else "",
        **extra,
    }
    return render(request, "subjects/form.html", context, status=status)


@login_required
def subject_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose the duplicate of this record, confirm, merge it into this one."""
    keep = _get_visible(request, pk, SubjectPerms.MERGE)
    candidates = _visible(request).filter(kind=keep.kind, merged_into__isnull=True)
    candidates = candidates.exclude(pk=keep.pk)
    other_id = request.POST.get("other") or request.GET.get("other")
    if other_id and str(other_id).isdigit():
        other = access.get_visible_or_404(
            request.user, candidates, action=SubjectPerms.MERGE, request=request, pk=int(other_id)
        )
        if request.method == "POST":
            merged = buttons.press(
                request,
                lambda: actions.merge_subjects(acting_user(request), keep, other, request=request),
                _("The two records were merged."),
            )
            return redirect("subjects:detail" if merged else "subjects:merge", pk=keep.pk)
        return render(request, "subjects/merge_confirm.html", {"keep": keep, "other": other})
    query = request.GET.get("q", "").strip()
    found = queries.search(candidates, query) if query else candidates.filter(name=keep.name)
    context = {"keep": keep, "query": query, "candidates": found[:PAGE_SIZE]}
    return render(request, "subjects/merge.html", context)
