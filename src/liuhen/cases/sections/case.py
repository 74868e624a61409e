"""The case's own sections of its page: officers, workflow, approvals and timeline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liuhen.accounts.models import Certificate, User
from liuhen.cases import timeline, workflow
from liuhen.cases.actions.registration import read_timeline
from liuhen.cases.models import Stage
from liuhen.cases.perms import CasePerms
from liuhen.cases.sections import Section
from liuhen.core import access

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.cases.models import Case


def _officers(request: HttpRequest, case: Case) -> dict[str, Any]:
    # R4.2: officers act with valid enforcement certificates; show number and validity.
    certificates = Prefetch(
        "certificates", queryset=Certificate.objects.order_by("-valid_to", "number")
    )
    officers = (
        User.objects.filter(assigned_cases=case)
        .select_related("unit")
        .prefetch_related(certificates)
        .order_by("full_name", "username")
    )
    # R4.1, R18.3: who was assigned or removed when, by whom and why, never lost.
    history = case.assignment_changes.select_related("officer", "subject", "recorded_by")
    return {
        "case": case,
        "officers": officers,
        "today": timezone.localdate(),
        "history": history.order_by("-recorded_at", "-id"),
        "may_assign": access.can(request.user, CasePerms.ASSIGN, case),
    }


OFFICERS_SECTION = Section(
    "officers",
    _("Officers and parties"),
    "cases/sections/officers.html",
    order=10,
    context=_officers,
)


def _timeline(request: HttpRequest, case: Case) -> dict[str, Any]:
    user = request.user
    assert isinstance(user, User)  # the case page is for signed-in users only
    # Opening the page is logged once as "case.view"; its first timeline page is part of it.
    read = read_timeline(user, case, limit=timeline.PAGE_SIZE, request=request, log=False)
    return {"case": case, "entries": timeline.entries(read.events), "more": read.more}


TIMELINE_SECTION = Section(
    "timeline",
    _("Timeline"),
    "cases/sections/timeline.html",
    order=90,
    context=_timeline,
    action=CasePerms.TIMELINE,
)


def _workflow(request: HttpRequest, case: Case) -> dict[str, Any]:
    upcoming = workflow.next_stage(case)
    return {
        "case": case,
        "next_label": dict(Stage.choices).get(upcoming, "") if upcoming else "",
        "blockers": workflow.blockers(case) if upcoming else [],
        "may_change": access.can(request.user, CasePerms.CHANGE, case),
    }


WORKFLOW_SECTION = Section(
    "workflow",
    _("Workflow"),
    "cases/sections/workflow.html",
    order=5,
    context=_workflow,
)


def _approvals(request: HttpRequest, case: Case) -> dict[str, Any]:
    return {
        "case": case,
        "requests": case.approval_requests.select_related("requested_by").prefetch_related(
            "approvals__approver"
        ),
    }


APPROVALS_SECTION = Section(
    "approvals",
    _("Approvals"),
    "cases/sections/approvals.html",
    order=20,
    context=_approvals,
)

SECTIONS = (OFFICERS_SECTION, TIMELINE_SECTION, WORKFLOW_SECTION, APPROVALS_SECTION)
