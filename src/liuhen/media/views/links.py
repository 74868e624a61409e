"""The links panel's forms (R16.1): each posts here, calls one curation action and goes
back to the record page with what happened. A record the user may not see is 404 (the
attempt audited); a refused action is a 403 (audited by the action); an invalid one
shows its message on the record page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liuhen.core import access
from liuhen.media.actions import curation
from liuhen.media.models import AvLink, AvRecord
from liuhen.media.perms import MediaPerms
from liuhen.media.views.helpers import acting_user


def _record(request: HttpRequest, pk: int) -> AvRecord:
    """A record the user may see; any other is "not found", the attempt audited (R21.2)."""
    return access.get_visible_or_404(
        request.user, AvRecord, action=MediaPerms.VIEW, request=request, pk=pk
    )


def _link(record: AvRecord, link_id: int) -> AvLink:
    """One of the record's links (the record fetched through the access idiom)."""
    link = record.links.select_related("activity", "case").filter(pk=link_id).first()
    if link is None:
        raise Http404
    return link


def _back(record: AvRecord) -> HttpResponse:
    return redirect(reverse("media:record", args=[record.pk]) + "#links")


def _run(
    request: HttpRequest, record: AvRecord, action: Callable[[], Any], done: str
) -> HttpResponse:
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return _back(record)


def _evidence(request: HttpRequest) -> bool:
    return request.POST.get("evidence") in ("1", "on", "true")


@login_required
@require_POST
def confirm_suggestion(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)

    def run() -> Any:
        activity = curation.visible_activity(acting_user(request), request.POST.get("activity"))
        return curation.confirm_suggestion(
            acting_user(request), record, activity, evidence=_evidence(request), request=request
        )

    return _run(request, record, run, _("The AV record is linked to the activity."))


@login_required
@require_POST
def add_link(request: HttpRequest, pk: int) -> HttpResponse:
    """By hand: to an activity (``activity``) or to a case by its number (``case_number``)."""
    record = _record(request, pk)

    def run() -> Any:
        if request.POST.get("activity"):
            activity = curation.visible_activity(acting_user(request), request.POST["activity"])
            return curation.link(
                acting_user(request),
                record,
                activity=activity,
                evidence=_evidence(request),
                request=request,
            )
        case = curation.case_by_number(acting_user(request), request.POST.get("case_number", ""))
        return curation.link(
            acting_user(request), record, case=case, evidence=_evidence(request), request=request
        )

    return _run(request, record, run, _("The link is recorded."))


@login_required
@require_POST
def withdraw_link(request: HttpRequest, pk: int, link_id: int) -> HttpResponse:
    record = _record(request, pk)
    link = _link(record, link_id)
    return _run(
        request,
        record,
        lambda: curation.withdraw_link(
            acting_user(request), link, reason=request.POST.get("reason", ""), request=request
        ),
        _("The link is withdrawn."),
    )


@login_required
@require_POST
def label(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    return _run(
        request,
        record,
        lambda: curation.label(
            acting_user(request), record, request.POST.get("text", ""), request=request
        ),
        _("The label is saved."),
    )


@login_required
@require_POST
def mark(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    important = request.POST.get("important") == "1"
    return _run(
        request,
        record,
        lambda: curation.mark(
            acting_user(request),
            record,
            important=important,
            reason=request.POST.get("reason", ""),
            request=request,
        ),
        _("Marked important.") if important else _("The important mark is removed."),
    )
