"""What the decision 处罚决定 depends on: the rights notified (R8.1), collective discussion
(R7.3), what may block the decision (Art. 45, 58, 59, 65) and the simple procedure's limit
(Art. 51). Recording them are actions (``cases.actions.decisions``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liuhen.accounts.models import Role, User
from liuhen.cases import approvals, hearings, suspensions
from liuhen.cases.models import (
    AdvanceNotice,
    CollectiveDiscussion,
    DiscussionOpinion,
    ReviewResult,
    Stage,
)
from liuhen.core import rules
from liuhen.subjects.models import SubjectKind

if TYPE_CHECKING:
    from liuhen.cases.models import Case
    from liuhen.subjects.models import Subject

# R8.1: the rights an advance notice names, with what people read.
RIGHT_CHOICES = [
    ("statement", gettext_lazy("Statement")),
    ("defence", gettext_lazy("Defence")),
    ("withdrawal", gettext_lazy("Request withdrawal")),
    ("hearing", gettext_lazy("Hearing")),
]
RIGHTS = tuple(value for value, _label in RIGHT_CHOICES)

# Who takes part in a collective discussion: staff who decide cases; administrators never
# do (R21.2).
DISCUSSION_ROLES = (Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD, Role.LEGAL_REVIEWER)


def discussion_staff() -> QuerySet[User]:
    """The people a collective discussion's attendees are chosen among (R7.3)."""
    people = User.objects.filter(is_active=True, role_grants__role__in=DISCUSSION_ROLES)
    return people.distinct().order_by("full_name", "username")


def latest_notice(case: Case) -> AdvanceNotice | None:
    """The advance notice in force: the latest given (the decision may not exceed it)."""
    return case.advance_notices.order_by("-notified_at", "-id").first()


def needs_collective_discussion(case: Case, kinds: Iterable[str] | None = None) -> bool:
    """R7.3 (Art. 57): a complex or serious case, or a penalty on the configured list of
    heavier penalties — those proposed in the latest advance notice when ``kinds`` is None."""
    if case.complex_or_serious:
        return True
    if kinds is None:
        notice = latest_notice(case)
        kinds = notice.penalty_kinds if notice is not None else ()
    heavy = set(rules.value("collective_discussion_penalty_kinds"))
    return bool(heavy.intersection(kinds))


def unsettled_opinions() -> QuerySet[DiscussionOpinion]:
    """Opinions neither confirmed by their attendee nor excused with a reason."""
    return DiscussionOpinion.objects.filter(confirmed_at__isnull=True, unconfirmed_reason="")


def concluded_discussions(case: Case) -> QuerySet[CollectiveDiscussion]:
    """R7.3: the case's collective discussions every attendee has confirmed (or whose
    missing confirmations have a reason on record); only these count."""
    return case.discussions.exclude(pk__in=unsettled_opinions().values("discussion_id"))


def hearing_right_missing(reasons: Iterable[str]) -> str:
    """Why an advance notice without the right to a hearing does not do (Art. 63)."""
    return _(
        "The party must be notified of the right to a hearing (行政处罚事先告知书（听证）): "
        "%(reasons)s. Basis: Administrative Penalty Law Art. 63; Provisions on "
        "Administrative Penalty Procedures in Agriculture Art. 59."
    ) % {"reasons": _("; ").join(reasons)}


def decision_blockers(case: Case, kinds: list[str], fine_fen: int) -> list[str]:
    """Why a decision may not be made now (empty: it may). Ordinary procedure only."""
    reasons: list[str] = []
    if case.stage != Stage.DECISION:
        reasons.append(_("A decision is made in the review and decision stage."))
    notice = latest_notice(case)
    if notice is None:
        reasons.append(
            _(
                "The party has not been given the advance notice (事先告知) of its rights "
                "(basis: the recording rules, Art. 8)."
            )
        )
    else:
        # Art. 45: the penalty may not be heavier than the one notified.
        if fine_fen > notice.proposed_fine_fen:
            reasons.append(_("The fine exceeds the fine proposed in the advance notice."))
        if not set(kinds) <= set(notice.penalty_kinds):
            reasons.append(_("The decision adds penalties not proposed in the advance notice."))
        if "hearing" not in (notice.rights or []):
            required = hearings.notice_hearing_right(notice)
            if required:
                reasons.append(hearing_right_missing(required.reasons))
    if (
        case.needs_legal_review
        and not case.legal_reviews.filter(
            result__in=(ReviewResult.AGREE, ReviewResult.AMEND)
        ).exists()
    ):
        reasons.append(_("Legal review (法制审核) is required before this decision (Art. 58)."))
    if needs_collective_discussion(case, kinds) and not concluded_discussions(case).exists():
        if case.discussions.exists():
            reasons.append(
                _(
                    "Not every attendee of the collective discussion (集体讨论) has confirmed "
                    "their opinion, and no reason is recorded for those who have not."
                )
            )
        else:
            reasons.append(
                _(
                    "A collective discussion record (集体讨论) is required for a complex or "
                    "serious case, or for these penalties (basis: the recording rules, Art. 7)."
                )
            )
    if not approvals.is_approved(case, "decision"):
        reasons.append(_("The penalty decision has not been approved."))
    pending = hearings.awaiting_hearing(case)
    if pending is not None:
        reasons.append(
            _(
                "The party asked for a hearing on %(day)s and it has not been held: the "
                "decision is made on the hearing transcript (Art. 65)."
            )
            % {"day": timezone.localtime(pending.requested_at).date().isoformat()}
        )
    if suspensions.is_suspended(case):
        reasons.append(_("The investigation is suspended (中止调查): resume it before deciding."))
    return reasons


def simple_procedure_limit(subject: Subject) -> int:
    """Art. 51: the largest on-the-spot fine for this party (person or organisation), fen."""
    key = (
        "simple_procedure_max_fine_organisation"
        if subject.kind == SubjectKind.UNIT
        else "simple_procedure_max_fine_person"  # the stricter limit for anyone not a unit
    )
    return int(rules.value(key))
