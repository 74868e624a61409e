"""Audit admin pages (R1.1): search the log, open an event with its proof, check the chain.

Only the audit admin gets in (``access.require(user, "audit.view")``); every other account
gets 403 and the denial is itself audited. Views are thin: they call ``core.actions``.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from liuhen.core import actions, merkle, proofs
from liuhen.core.audit import as_chain_dict, latest_seq
from liuhen.core.forms import EventFilterForm
from liuhen.core.models import AuditEvent, TreeHead
from liuhen.core.treehead import SigningKeyMissing, latest_head, public_key_pem

PAGE_SIZE = 50


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


@login_required
def events(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    number = _page_number(request)
    queryset = actions.search_events(
        actor=request.user, request=request, filters=filters, page=number
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(number)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "event-table":
        return render(request, "core/_event_table.html", context)
    return render(request, "core/events.html", context)


@login_required
def event(request: HttpRequest, seq: int) -> HttpResponse:
    try:
        item = actions.view_event(actor=request.user, request=request, seq=seq)
    except AuditEvent.DoesNotExist:
        raise Http404 from None
    proof: dict[str, Any] | None = None
    proof_ok = False
    try:
        proof = proofs.inclusion(seq)
    except proofs.ProofError:
        proof = None
    if proof is not None:
        proof_ok = proof["tree_head"] is not None and merkle.verify_inclusion(
            proof["leaf_index"],
            proof["tree_size"],
            bytes.fromhex(item.hash),
            [bytes.fromhex(node) for node in proof["path"]],
            bytes.fromhex(proof["tree_head"]["root_hash"]),
        )
    context = {
        "event": item,
        "chain": as_chain_dict(item),
        "details_json": json.dumps(item.details, ensure_ascii=False, indent=2, sort_keys=True),
        "proof": proof,
        "proof_ok": proof_ok,
    }
    return render(request, "core/event.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    """Latest signed tree head and public key; the full check runs on demand (POST)."""
    result = None
    if request.method == "POST":
        result = actions.check_chain(actor=request.user, request=request)
    else:
        actions.view_status(actor=request.user, request=request)
    head = latest_head()
    try:
        pem = public_key_pem(create=False) if head is not None else ""
    except SigningKeyMissing:
        pem = ""
    context = {
        "result": result,
        "head": head,
        "public_key": pem,
        "event_count": latest_seq(),
        "head_count": TreeHead.objects.count(),
        "unsigned": latest_seq() - (head.tree_size if head else 0),
    }
    if request.headers.get("HX-Request") and result is not None:
        return render(request, "core/_verify_result.html", context)
    return render(request, "core/status.html", context)


@login_required
@require_POST
def sign(request: HttpRequest) -> HttpResponse:
    head = actions.sign_now(actor=request.user, request=request)
    messages.success(
        request,
        _("Signed a tree head over %(size)s events.") % {"size": head.tree_size},
    )
    return redirect("audit:status")
