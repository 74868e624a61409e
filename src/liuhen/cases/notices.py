"""Telling the people who must act: an approver whose turn it is (R7.1), the legal
reviewers when a case needs 法制审核 (Art. 58), the attendees whose discussion opinion
awaits their confirmation (R7.3). In-app and by e-mail (``core.notifications``), once per
task, and only after the action's transaction has committed (a refused action tells nobody).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from liuhen.accounts.models import Role, User
from liuhen.cases import approvals
from liuhen.cases.policy import is_assigned, may_decide, may_read_case
from liuhen.core import notifications

if TYPE_CHECKING:
    from liuhen.cases.models import ApprovalRequest, Case, DiscussionOpinion


def _holders(role: str) -> Iterable[User]:
    return User.objects.filter(is_active=True, role_grants__role=role).distinct()


def _tell(people: Iterable[User], text: Callable[[], str], link: str, dedupe_key: str) -> None:
    """After commit, ``text()`` in the bureau's language to each of ``people``, once."""
    people = list(people)

    def send() -> None:
        with translation.override(settings.LANGUAGE_CODE):
            said = text()
        for person in people:
            notifications.notify(person, said, link=link, dedupe_key=dedupe_key)

    transaction.on_commit(send)


def approvers_now(approval_request: ApprovalRequest) -> list[User]:
    """Who may sign the request's current position of the chain."""
    role = approval_request.current_role
    if not role:
        return []
    return [person for person in _holders(role) if may_decide(person, approval_request)]


def approval_turn(approval_request: ApprovalRequest) -> None:
    """The request awaits the next role: tell whoever may sign it now."""
    what = approval_request.case.number if approval_request.case is not None else ""
    step = approval_request.step
    _tell(
        approvers_now(approval_request),
        lambda: (
            _("Awaiting your approval: %(step)s %(what)s")
            % {"step": approvals.step_label(step), "what": what}
        ).strip(),
        reverse("cases:approvals") + f"#approval-{approval_request.pk}",
        f"approval:{approval_request.pk}:{approval_request.position}",
    )


def legal_review_due(case: Case) -> None:
    """The case reached the decision stage and needs 法制审核 (Art. 58)."""
    reviewers = [
        person
        for person in _holders(Role.LEGAL_REVIEWER)
        if may_read_case(person, case) and not is_assigned(person, case)
    ]
    number = case.number
    _tell(
        reviewers,
        lambda: _("Legal review (法制审核) to do: %(case)s") % {"case": number},
        reverse("cases:legal_review", args=[case.pk]),
        f"legal_review:{case.pk}",
    )


def opinion_to_confirm(opinion: DiscussionOpinion) -> None:
    """The chair recorded the discussion: the attendee confirms their own opinion."""
    number = opinion.discussion.case.number
    _tell(
        [opinion.attendee],
        lambda: (
            _("Confirm your opinion at the collective discussion (集体讨论) of %(case)s")
            % {"case": number}
        ),
        reverse("cases:confirm_opinion", args=[opinion.pk]),
        f"discussion_opinion:{opinion.pk}",
    )
