"""The case workflow pages: a page of one or more panels (``core.panels``) about a case,
and the fetch of the case each of them starts with."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from liuhen.cases import approvals
from liuhen.cases.actions.approvals import request_approval
from liuhen.cases.approvals import ChainState
from liuhen.cases.forms.approvals import StepRequestForm
from liuhen.cases.http import AuthenticatedRequest
from liuhen.cases.models import Case
from liuhen.cases.perms import ApprovalPerms
from liuhen.core import access
from liuhen.core import panels as panels_
from liuhen.core.panels import Panel


def case_for(request: AuthenticatedRequest, pk: int, action: str) -> Case:
    """Case ``pk`` (with its unit) if the user sees it and may ``action`` it: else 404 (not
    seen) or 403, both audited."""
    return access.get_visible_or_404(
        request.user,
        Case.objects.select_related("unit"),
        action=action,
        request=request,
        pk=pk,
    )


def screen(
    request: HttpRequest,
    *,
    title: str,
    panels: list[Panel],
    case: Case | None = None,
    info: list[tuple[str, str]] | None = None,
    done_url: Callable[[], str] | None = None,
    links: list[tuple[str, str]] | None = None,
    chains: list[ChainState] | None = None,
) -> HttpResponse:
    """Render ``panels``; on POST run the one named by ``do`` and show its refusal in place.
    ``chains``: the approvals the page's step waits for, each with its chain (R7.1)."""
    status = 200
    if request.method == "POST" and not panels:
        status = 409  # nothing to do on this page now (e.g. its step awaits approval)
    elif request.method == "POST":
        panel = panels_.chosen(request, panels, default=panels[0].key) or panels[0]
        if panels_.run(request, panel):
            if done_url is not None:
                return redirect(done_url())
            assert case is not None
            return redirect(reverse("cases:detail", args=[case.pk]) + "#section-workflow")
        status = 422
    return render(
        request,
        "cases/workflow_form.html",
        {
            "case": case,
            "title": title,
            "panels": panels,
            "info": info or [],
            "links": links or [],
            "chains": chains or [],
        },
        status=status,
    )


def bound(request: HttpRequest, key: str, form_class: Any, **kwargs: Any) -> Any:
    """``form_class`` bound to the POST for the panel ``key`` (a page of one panel takes a
    POST that names none)."""
    return panels_.bound(request, key, form_class, default=True, **kwargs)


def panel(
    request: HttpRequest,
    key: str,
    form_class: Any,
    run: Callable[[dict[str, Any]], str],
    *,
    title: str,
    button: str,
    **form_kwargs: Any,
) -> Panel:
    """The panel ``key``: a ``form_class`` bound to its POST, which runs ``run``."""
    return Panel(key, title, button, bound(request, key, form_class, **form_kwargs), run)


def calling(
    action: Callable[..., object], *args: Any, request: HttpRequest, done: str
) -> Callable[[dict[str, Any]], str]:
    """The ``run`` of a panel whose form's fields are the keywords of ``action``: it calls
    ``action(*args, **data, request=request)`` and says ``done``."""

    def run(data: dict[str, Any]) -> str:
        action(*args, **data, request=request)
        return done

    return run


def one_form(request: HttpRequest, case: Case, panel: Panel) -> HttpResponse:
    """A page about ``case`` of the one panel ``panel``, under the panel's title."""
    return screen(request, title=panel.title, panels=[panel], case=case)


def one_form_page(
    permission: str,
    key: str,
    form_class: Any,
    action: Callable[..., object],
    *,
    title: Promise,
    button: Promise,
    done: Promise,
) -> Callable[[AuthenticatedRequest, int], HttpResponse]:
    """The page of one form about a case the user may ``permission``: the form's fields are
    the keywords of ``action(user, case, …)``, which runs on a valid POST."""

    @login_required
    @require_http_methods(["GET", "POST"])
    def page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
        case = case_for(request, pk, permission)
        run = calling(action, request.user, case, request=request, done=str(done))
        form = panel(request, key, form_class, run, title=str(title), button=str(button))
        return one_form(request, case, form)

    return page


ASK = "ask"


def asking(request: AuthenticatedRequest, case: Case, step: str) -> tuple[ChainState, list[Panel]]:
    """R7.1: where the page's step waits for the approval of ``step``: its chain as it
    stands, and the panel ``ask`` that sends the request while nobody has asked (or the
    last request was rejected) and the person may ask."""
    state = approvals.chain_state(case, step)
    if not state.may_ask or not access.can(request.user, ApprovalPerms.REQUEST, case):
        return state, []
    done = gettext("“%(step)s” has been sent for approval.") % {"step": state.label}
    run = calling(request_approval, request.user, case, step, request=request, done=done)
    title = gettext("Ask for approval: %(step)s") % {"step": state.label}
    return state, [
        panel(request, ASK, StepRequestForm, run, title=title, button=gettext("Send for approval"))
    ]


def back_here_after_asking(request: HttpRequest, case: Case) -> Callable[[], str]:
    """Where a page goes after a success: itself after asking for approval (the chain is
    shown there), the case's workflow otherwise."""

    def url() -> str:
        if request.POST.get("do") == ASK:
            return request.path
        return reverse("cases:detail", args=[case.pk]) + "#section-workflow"

    return url
