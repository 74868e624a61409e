"""The 调阅 pages (R21.1): one's requests and those to decide, the form, and a request's
page where it is granted, refused or revoked."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from liuhen.core import access, panels, rules
from liuhen.retrieval.actions import requests as actions
from liuhen.retrieval.forms import FileForm, GrantForm, ReasonForm
from liuhen.retrieval.models import RequestStatus, RetrievalRequest, TargetKind
from liuhen.retrieval.perms import RetrievalPerms

_SHOWN = (
    "requested_by",
    "owning_unit",
    "case",
    "document",
    "record",
    "grant",
    "grant__by",
    "grant__revocation",
    "refusal",
)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    access.require(request.user, RetrievalPerms.LIST, request=request)
    seen = access.visible(request.user, RetrievalRequest.objects.select_related(*_SHOWN))
    mine = [filed for filed in seen if filed.requested_by_id == request.user.pk]
    to_decide = [filed for filed in seen if filed.requested_by_id != request.user.pk]
    return render(
        request,
        "retrieval/index.html",
        {
            "mine": [(filed, filed.status()) for filed in mine],
            "to_decide": [(filed, filed.status()) for filed in to_decide],
            "may_file": access.can(request.user, RetrievalPerms.FILE),
        },
    )


def _initial(request: HttpRequest) -> dict[str, Any]:
    wanted = request.GET
    initial: dict[str, Any] = {
        "kind": wanted.get("kind", TargetKind.CASE),
        "access_kind": wanted.get("access", "view"),
        "days": rules.value("retrieval_grant_days"),
        "case_number": wanted.get("case", ""),
    }
    if wanted.get("target", "").isdigit():
        initial["target"] = int(wanted["target"])
    return initial


@login_required
def new(request: HttpRequest) -> HttpResponse:
    access.require(request.user, RetrievalPerms.FILE, request=request)
    form = FileForm(request.POST or None, initial=_initial(request))

    def run(data: dict[str, Any]) -> RetrievalRequest:
        return actions.file_request(
            request.user,  # type: ignore[arg-type]
            kind=data["kind"],
            pk=data.get("target"),
            case_number=data.get("case_number", ""),
            access_kind=data["access_kind"],
            reason=data["reason"],
            days=data["days"],
            request=request,
        )

    filed = panels.submit(
        request, form, run, _("The retrieval request is filed."), renamed={"access": "access_kind"}
    )
    if filed is not None:
        return redirect("retrieval:detail", pk=filed.pk)
    status = 422 if form.is_bound and form.errors else 200
    named = _named_target(form)
    return render(request, "retrieval/new.html", {"form": form, "named": named}, status=status)


def _named_target(form: FileForm) -> str:
    """What the refusal page named, as the person saw it (a record asked for by id)."""
    target = form["target"].value()
    kind = form["kind"].value()
    if not target or kind == TargetKind.CASE:
        return ""
    return f"{TargetKind(kind).label} #{target}" if kind in TargetKind.values else ""


def target_url(filed: RetrievalRequest) -> str:
    if filed.target_kind == TargetKind.CASE and filed.case_id:
        return reverse("cases:detail", args=[filed.case_id])
    if filed.target_kind == TargetKind.DOCUMENT and filed.document_id:
        return reverse("documents:issued", args=[filed.document_id])
    if filed.target_kind == TargetKind.RECORD and filed.record_id:
        return reverse("media:record", args=[filed.record_id])
    return ""


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    filed = access.get_visible_or_404(
        request.user,
        RetrievalRequest.objects.select_related(*_SHOWN),
        action=RetrievalPerms.VIEW,
        request=request,
        pk=pk,
    )
    user: Any = request.user
    doing = request.POST.get("do", "")
    grant_form = GrantForm(request.POST if doing == "grant" else None)
    refuse_form = ReasonForm(request.POST if doing == "refuse" else None, prefix="refuse")
    revoke_form = ReasonForm(request.POST if doing == "revoke" else None, prefix="revoke")
    done: object = None
    if doing == "grant":
        done = panels.submit(
            request,
            grant_form,
            lambda data: actions.grant(user, filed, opinion=data["opinion"], request=request),
            _("The retrieval request is granted."),
        )
    elif doing == "refuse":
        done = panels.submit(
            request,
            refuse_form,
            lambda data: actions.refuse(user, filed, reason=data["reason"], request=request),
            _("The retrieval request is refused."),
        )
    elif doing == "revoke":
        done = panels.submit(
            request,
            revoke_form,
            lambda data: actions.revoke(user, filed, reason=data["reason"], request=request),
            _("The retrieval grant is revoked."),
        )
    if done is not None:
        return redirect("retrieval:detail", pk=filed.pk)
    status = filed.status()
    context = {
        "filed": filed,
        "status": status,
        "grant_form": grant_form,
        "refuse_form": refuse_form,
        "revoke_form": revoke_form,
        "may_decide": status == RequestStatus.PENDING
        and access.can(user, RetrievalPerms.DECIDE, filed),
        "may_revoke": status == RequestStatus.GRANTED
        and access.can(user, RetrievalPerms.REVOKE, filed),
        "open_url": target_url(filed)
        if status == RequestStatus.GRANTED and filed.requested_by_id == user.pk
        else "",
    }
    code = (
        422
        if any(form.is_bound and form.errors for form in (grant_form, refuse_form, revoke_form))
        else 200
    )
    return render(request, "retrieval/detail.html", context, status=code)
