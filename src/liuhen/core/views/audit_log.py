"""Audit admin pages (R1.1): search the log, open an event with its proof, check the chain.

Only the audit admin gets in (``access.require(user, AuditLogPerms.VIEW)``); every other
account gets 403 and the denial is itself audited; an event that is not there answers 404,
audited too. Views are thin: they call ``core.actions.audit_log``.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from liuhen.core import access, merkle, proofs
from liuhen.core.actions import audit_log
from liuhen.core.audit import as_chain_dict, latest_seq
from liuhen.core.forms import EventFilterForm
from liuhen.core.models import AuditEvent, TreeHead
from liuhen.core.perms import AuditLogPerms
from liuhen.core.treehead import SigningKeyMissing, latest_head, public_key_pem
from liuhen.core.views.helpers import acting_user

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
    queryset = audit_log.search_events(
        acting_user(request), filters=filters, page=number, request=request
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
    # May this person read the log at all (403)? Then: is the event there (404)?
    access.require(request.user, AuditLogPerms.VIEW, request=request)
    item = access.get_visible_or_404(
        request.user, AuditEvent, action=AuditLogPerms.VIEW, request=request, pk=seq
    )
    audit_log.view_event(acting_user(request), item, request=request)
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
        result = audit_log.check_chain(acting_user(request), request=request)
    else:
        audit_log.view_status(acting_user(request), request=request)
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
        "head_count": access.visible(request.user, TreeHead.objects.all()).count(),
        "unsigned": latest_seq() - (head.tree_size if head else 0),
    }
    if request.headers.get("HX-Request") and result is not None:
        return render(request, "core/_verify_result.html", context)
    return render(request, "core/status.html", context)


@login_required
@require_POST
def sign(request: HttpRequest) -> HttpResponse:
    head = audit_log.sign_now(acting_user(request), request=request)
    messages.success(
        request,
        _("Signed a tree head over %(size)s events.") % {"size": head.tree_size},
    )
    return redirect("audit:status")
