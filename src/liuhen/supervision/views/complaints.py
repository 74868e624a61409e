"""Complaint replay pages (R22.4): the ledger with its exports, recording a complaint, a
complaint with the footage suggested for it, and the replay review — the player beside
the complaint, the outcome below."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from liuhen.accounts.models import User
from liuhen.core import access, buttons, panels
from liuhen.media.actions import viewing
from liuhen.media.models import AvRecord
from liuhen.media.perms import MediaPerms
from liuhen.media.playback import tokens
from liuhen.supervision.actions import complaints as actions
from liuhen.supervision.complaints import registers, suggest
from liuhen.supervision.complaints.forms import ComplaintForm, ReplayForm
from liuhen.supervision.models import Complaint, ReplayOutcome
from liuhen.supervision.perms import ComplaintPerms


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _complaint(request: HttpRequest, pk: int, action: str = ComplaintPerms.VIEW) -> Complaint:
    return access.get_visible_or_404(
        request.user,
        Complaint.objects.select_related("unit", "recorded_by"),
        action=action,
        request=request,
        pk=pk,
    )


@login_required
def complaint_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, ComplaintPerms.LIST, request=request)
    complaints, filters = registers.filtered(request.user, request.GET)
    page = Paginator(complaints, registers.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "filter_query": urlencode(filters),
        "outcomes": [(registers.NOT_REPLAYED, _("Not yet replayed")), *ReplayOutcome.choices],
        "can_record": access.can(request.user, ComplaintPerms.RECORD),
    }
    return render(request, "supervision/complaints/list.html", context)


@login_required
def complaint_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    access.require(request.user, ComplaintPerms.LIST, request=request)
    complaints, filters = registers.filtered(request.user, request.GET)
    return registers.REGISTER.export(
        request.user, complaints, filters=filters, fmt=fmt, request=request
    )


@login_required
def complaint_new(request: HttpRequest) -> HttpResponse:
    access.require(request.user, ComplaintPerms.RECORD, request=request)
    form = ComplaintForm(request.POST or None)
    made = panels.submit(
        request,
        form,
        lambda data: actions.record_complaint(_user(request), request=request, **data),
        _("The complaint is recorded."),
    )
    if made is not None:
        return redirect("supervision:complaint", made.pk)
    return render(request, "supervision/complaints/new.html", {"form": form})


@login_required
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _complaint(request, pk)
    user = _user(request)
    can_link = access.can(user, ComplaintPerms.LINK, complaint) and not hasattr(complaint, "replay")
    if request.method == "POST":
        # The action checks access (403 for who may not link) and refuses after the replay.
        chosen = [int(v) for v in request.POST.getlist("record") if v.isdigit()]
        records = access.visible(user, AvRecord.objects.filter(pk__in=chosen))
        offered = {int(v) for v in request.POST.getlist("suggested") if v.isdigit()}
        done = buttons.press(
            request,
            lambda: actions.confirm_footage(
                user, complaint, records, suggested=offered, request=request
            ),
            _("The footage is linked to the complaint."),
        )
        if done is not None:
            return redirect("supervision:complaint", complaint.pk)
    context: dict[str, Any] = {
        "complaint": complaint,
        "officers": complaint.officers.all(),
        "footage": complaint.footage.select_related("record", "record__officer", "by"),
        "replay": getattr(complaint, "replay", None),
        "suggestions": suggest.suggest(user, complaint) if can_link else [],
        "can_link": can_link,
        "can_replay": access.can(user, ComplaintPerms.REPLAY, complaint)
        and not hasattr(complaint, "replay"),
    }
    return render(request, "supervision/complaints/detail.html", context)


def _players(request: HttpRequest, complaint: Complaint) -> list[dict[str, Any]]:
    """Each linked record the user may see, with its audited viewing's player URL."""
    players = []
    for footage in complaint.footage.select_related("record", "record__officer"):
        record = footage.record
        if not access.can(request.user, MediaPerms.VIEW, record):
            continue
        token = viewing.view_record(_user(request), record, request=request)
        players.append(
            {
                "record": record,
                "playable": tokens.disposal_of(record) is None and tokens.playable(record),
                "url": f"{reverse('media:play', args=[record.pk])}?t={token}",
            }
        )
    return players


@login_required
def complaint_replay(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _complaint(request, pk)
    replay = getattr(complaint, "replay", None)
    form = ReplayForm(request.POST or None)
    if replay is None:
        access.require(request.user, ComplaintPerms.REPLAY, complaint, request=request)
        made = panels.submit(
            request,
            form,
            lambda data: actions.record_replay(_user(request), complaint, request=request, **data),
            _("The replay review is recorded."),
        )
        if made is not None:
            return redirect("supervision:complaint", complaint.pk)
    context = {
        "complaint": complaint,
        "officers": complaint.officers.all(),
        "players": _players(request, complaint),
        "replay": replay,
        "form": form,
    }
    return render(request, "supervision/complaints/replay.html", context)
