"""Pages of case files leaving the bureau (R18.4; 档案法实施条例 Art. 20): the archivist's
list of files whose retention has ended (tick, give the appraisal, ask), the destruction
requests and a request's page where the agency head decides (its list of an approved
request is the 销毁清册), and the files due for transfer with the 移交清册 of each hand-over.

Views parse input, call ``archives.actions.disposal`` and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.archives import disposal
from liuhen.archives.actions import disposal as actions
from liuhen.archives.forms import DestructionRequestForm, TransferForm
from liuhen.archives.models import DestructionItem, DestructionRequest, Transfer, TransferItem
from liuhen.archives.perms import ArchiveDisposalPerms
from liuhen.cases.http import AuthenticatedRequest
from liuhen.core import access, panels, rules
from liuhen.core.navigation import belongs_to
from liuhen.media.forms import DecisionForm

PAGE_SIZE = 100


@login_required
@belongs_to("archives")
def candidates(request: AuthenticatedRequest) -> HttpResponse:
    """Archived files whose retention has ended; the archivist asks to destroy some."""
    access.require(request.user, ArchiveDisposalPerms.DESTROY_REQUEST, request=request)
    today = timezone.localdate()
    form = DestructionRequestForm(request.POST if request.method == "POST" else None)
    chosen = request.POST.getlist("files")

    def ask(data: dict[str, Any]) -> DestructionRequest:
        return actions.request_destruction(request.user, chosen, data["reason"], request=request)

    asked = panels.submit(request, form, ask, _("The destruction request was sent for approval."))
    if asked is not None:
        return redirect("archives:destruction_request", pk=asked.pk)
    found = access.visible(request.user, disposal.destruction_candidates(today))
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request,
        "archives/destruction_candidates.html",
        {"page": page, "form": form, "chosen": set(chosen), "today": today},
        status=status,
    )


@login_required
@belongs_to("archives")
def destruction_requests(request: AuthenticatedRequest) -> HttpResponse:
    access.require(request.user, ArchiveDisposalPerms.DESTROY_VIEW, request=request)
    asked = access.visible(
        request.user,
        DestructionRequest.objects.select_related("requested_by", "decision").prefetch_related(
            "items"
        ),
    )
    page = Paginator(asked, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "archives/destruction_requests.html",
        {
            "page": page,
            "can_ask": access.can(request.user, ArchiveDisposalPerms.DESTROY_REQUEST),
        },
    )


@login_required
@belongs_to("archives")
def destruction_request(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One request; the agency head decides here. An approved request is the 销毁清册."""
    user = request.user
    access.require(user, ArchiveDisposalPerms.DESTROY_VIEW, request=request)
    asked = access.get_visible_or_404(
        user,
        DestructionRequest.objects.select_related("requested_by").prefetch_related(
            Prefetch(
                "items",
                queryset=DestructionItem.objects.select_related(
                    "case_file__case", "case_file__destruction"
                ).order_by("case_file__archive_year", "case_file__archive_serial"),
            )
        ),
        action=ArchiveDisposalPerms.DESTROY_VIEW,
        request=request,
        pk=pk,
    )
    decision = getattr(asked, "decision", None)
    may_decide = decision is None and access.can(user, ArchiveDisposalPerms.DESTROY_DECIDE, asked)
    own = asked.requested_by_id == user.pk
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        # A refusal is audited by the action; the form shows its message.
        access.require(user, ArchiveDisposalPerms.DESTROY_DECIDE, asked, request=request)
        if form.is_valid():
            approve = form.cleaned_data["approved"]
            try:
                actions.decide_destruction(
                    user,
                    asked,
                    approve=approve,
                    opinion=form.cleaned_data["opinion"],
                    request=request,
                )
            except ValidationError as exc:
                panels.show_refusal(form, exc)
            else:
                messages.success(
                    request,
                    _("Approved: the case files are destroyed.")
                    if approve
                    else _("The destruction request was rejected."),
                )
                return redirect("archives:destruction_request", pk=asked.pk)
    context = {
        "asked": asked,
        "decision": decision,
        "form": form,
        "may_decide": may_decide and not own,
        "own_request": may_decide and own,
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "archives/destruction_request.html", context, status=status)


@login_required
@belongs_to("archives")
def transfers(request: AuthenticatedRequest) -> HttpResponse:
    """Files due for the county archive, the form recording a hand-over, and past ones."""
    access.require(request.user, ArchiveDisposalPerms.TRANSFER, request=request)
    today = timezone.localdate()
    form = TransferForm(
        request.POST if request.method == "POST" else None, initial={"handed_over_on": today}
    )
    chosen = request.POST.getlist("files")

    def hand_over(data: dict[str, Any]) -> Transfer:
        return actions.record_transfer(
            request.user,
            chosen,
            receiver=data["receiver"],
            handed_over_on=data["handed_over_on"],
            note=data["note"],
            request=request,
        )

    done = panels.submit(request, form, hand_over, _("The hand-over is recorded."))
    if done is not None:
        return redirect("archives:transfer", pk=done.pk)
    due = access.visible(request.user, disposal.transfer_due(today))
    page = Paginator(due, PAGE_SIZE).get_page(request.GET.get("page"))
    past = access.visible(request.user, Transfer.objects.select_related("by"))[:50]
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request,
        "archives/transfers.html",
        {
            "page": page,
            "form": form,
            "chosen": set(chosen),
            "past": past,
            "years": disposal.transfer_years(),
            "citation": rules.get("archive_transfer_years").citation,
        },
        status=status,
    )


@login_required
@belongs_to("archives")
def transfer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The 移交清册 of one hand-over, printable."""
    access.require(request.user, ArchiveDisposalPerms.DESTROY_VIEW, request=request)
    handed = access.get_visible_or_404(
        request.user,
        Transfer.objects.select_related("by").prefetch_related(
            Prefetch(
                "items",
                queryset=TransferItem.objects.select_related("case_file__case").order_by(
                    "case_file__archive_year", "case_file__archive_serial"
                ),
            )
        ),
        action=ArchiveDisposalPerms.DESTROY_VIEW,
        request=request,
        pk=pk,
    )
    return render(request, "archives/transfer.html", {"handed": handed})
