"""我的待办 of the cases app: approvals waiting for one's signature (R7.1), legal reviews
to do (Art. 58), collective discussions to hold (Art. 57) and discussion opinions to
confirm (R7.3). Each provider checks the role first and then asks one or two queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liuhen.accounts.models import Role
from liuhen.cases import approvals
from liuhen.cases.decisions import needs_collective_discussion, unsettled_opinions
from liuhen.cases.models import Case, LegalReview, Procedure, ReviewResult, Stage
from liuhen.core import access
from liuhen.core.inbox import Task


def _open_decision_cases(user: Any) -> Any:
    cases = Case.objects.filter(
        stage=Stage.DECISION, closed_at__isnull=True, procedure=Procedure.ORDINARY
    )
    return access.visible(user, cases).order_by("opened_at", "id")


def approvals_waiting(user: Any) -> list[Task]:
    """Pending approval requests whose current position ``user`` may sign."""
    if not user.has_role(Role.UNIT_HEAD, Role.AGENCY_HEAD):
        return []
    tasks = []
    for item in approvals.inbox(user):
        if item.case is not None:
            subject = item.case.number
        elif item.lead is not None:
            subject = item.lead.summary[:40]
        else:
            subject = ""
        tasks.append(
            Task(
                kind=_("Approval"),
                label=approvals.step_label(item.step),
                link=reverse("cases:approvals") + f"#approval-{item.pk}",
                subject=subject,
                due=item.paperwork_due,
                overdue=item.is_overdue(),
            )
        )
    return tasks


def legal_reviews_to_do(user: Any) -> list[Task]:
    """Cases at the decision stage that need 法制审核 and have no favourable review yet,
    for a legal reviewer who does not investigate them (Art. 58)."""
    if not user.has_role(Role.LEGAL_REVIEWER) or user.is_admin_role:
        return []
    reviewed = LegalReview.objects.filter(
        result__in=(ReviewResult.AGREE, ReviewResult.AMEND)
    ).values("case_id")
    cases = (
        _open_decision_cases(user)
        .filter(Q(complex_or_serious=True) | Q(major_public_interest=True) | Q(hearing_held=True))
        .exclude(officers=user)
        .exclude(pk__in=reviewed)
    )
    return [
        Task(
            kind=_("Legal review"),
            label=case.title,
            link=reverse("cases:legal_review", args=[case.pk]),
            subject=case.number,
        )
        for case in cases
    ]


def _proposed_kinds(case: Case) -> list[str]:
    """The penalty kinds of the advance notice in force (the latest), from the prefetched
    notices."""
    notices = sorted(case.advance_notices.all(), key=lambda n: (n.notified_at, n.pk))
    return list(notices[-1].penalty_kinds) if notices else []


def discussions_to_hold(user: Any) -> list[Task]:
    """Cases at the decision stage that need a collective discussion and have none yet —
    complex or serious, or told of one of the heavier penalties: the agency head chairs it
    (Art. 57)."""
    if not user.has_role(Role.AGENCY_HEAD) or user.is_admin_role:
        return []
    cases = (
        _open_decision_cases(user)
        .filter(discussions__isnull=True)
        .filter(Q(complex_or_serious=True) | Q(advance_notices__isnull=False))
        .distinct()
        .prefetch_related("advance_notices")
    )
    return [
        Task(
            kind=_("Collective discussion"),
            label=_("Hold and record the collective discussion"),
            link=reverse("cases:discussion", args=[case.pk]),
            subject=case.number,
        )
        for case in cases
        if needs_collective_discussion(case, _proposed_kinds(case))
    ]


def opinions_to_confirm(user: Any) -> list[Task]:
    """The attendee's own opinions at collective discussions, awaiting their confirmation."""
    mine = (
        unsettled_opinions()
        .filter(attendee_id=user.pk)
        .select_related("discussion__case")
        .order_by("id")
    )
    return [
        Task(
            kind=_("Collective discussion"),
            label=_("Confirm my opinion (held %(day)s)")
            % {"day": f"{timezone.localtime(o.discussion.held_at):%Y-%m-%d}"},
            link=reverse("cases:confirm_opinion", args=[o.pk]),
            subject=o.discussion.case.number,
        )
        for o in mine
    ]


PROVIDERS = {
    "approvals": approvals_waiting,
    "legal_reviews": legal_reviews_to_do,
    "discussions_to_hold": discussions_to_hold,
    "discussion_opinions": opinions_to_confirm,
}
