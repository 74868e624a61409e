"""The shell's pages: home per role, 我的待办 and the error pages."""

from __future__ import annotations

import logging
import sys

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token

from liuhen.core import access, outage, vocabulary
from liuhen.retrieval import links as retrieval_links
from liuhen.retrieval.perms import RetrievalPerms
from liuhen.web import inbox
from liuhen.web.dashboard import context_for
from liuhen.web.middleware import database_unavailable

logger = logging.getLogger("liuhen.incident")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "web/home.html", {**context_for(request.user), **inbox.context_for(request)}
    )


@login_required
def tasks(request: HttpRequest) -> HttpResponse:
    """我的待办: everything waiting for the person, each one click from where it is done."""
    return render(request, "web/tasks.html", {"tasks": inbox.tasks_of(request)})


@login_required
def task_count(request: HttpRequest) -> HttpResponse:
    """The navbar's count of 我的待办 (fetched by htmx once the page is there)."""
    return render(request, "web/_task_count.html", {"count": len(inbox.tasks_of(request))})


@requires_csrf_token
def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Says what was refused (the permission's name, never its code) and whom to ask."""
    action = exception.action if isinstance(exception, access.AccessDenied) else ""
    refused = vocabulary.label(action) if action else ""
    return render(
        request,
        "web/403.html",
        {"refused": refused, "retrieval_url": _retrieval_url(request, exception, action)},
        status=403,
    )


def _retrieval_url(request: HttpRequest, exception: Exception | None, action: str) -> str:
    """The 调阅申请 form for what was refused, when the refusal knows it and the person may
    ask (R21.1): a refusal is never a dead end."""
    obj = getattr(exception, "obj", None)
    if obj is None or not access.can(request.user, RetrievalPerms.FILE):
        return ""
    return retrieval_links.request_link(action, obj)


@requires_csrf_token
def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/404.html", status=404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    # A database error outside a view (the session saved by its middleware, the user
    # loaded by another) reaches here rather than the middleware's process_exception.
    exception = sys.exc_info()[1]
    if outage.is_database_outage(exception):
        assert exception is not None
        return database_unavailable(request, exception)
    # The incident id was logged with the traceback by IncidentIdMiddleware.
    incident = getattr(request, "incident_id", "-")
    try:
        return render(request, "web/500.html", {"incident_id": incident}, status=500)
    except Exception:
        logger.exception("incident %s: the 500 page itself failed", incident)
        return HttpResponse(f"500 · incident {incident}", status=500, content_type="text/plain")
