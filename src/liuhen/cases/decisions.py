"""Rights notices, legal review, collective discussion, the decision and the simple procedure.

R8.1 advance notice 事先告知, R8.2 waivers, Art. 58 legal review 法制审核, R7.3 collective
discussion 集体讨论, Art. 59 decision, Art. 51/52 simple procedure 简易程序.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.accounts.models import Unit, User
from liuhen.cases import approvals, hearings, numbering, suspensions
from liuhen.cases.events import CaseEvents
from liuhen.cases.models import (
    AdvanceNotice,
    Case,
    CollectiveDiscussion,
    Decision,
    LegalReview,
    PenaltyKind,
    Procedure,
    ReviewResult,
    Stage,
    Waiver,
)
from liuhen.cases.perms import CasePerms
from liuhen.core import access, audit, calendar, rules

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.subjects.models import Subject

# R8.1: the rights an advance notice names.
RIGHTS = ("statement", "defence", "withdrawal", "hearing")


def _check_kinds(kinds: Iterable[str]) -> list[str]:
    kinds = list(dict.fromkeys(kinds))
    if not kinds or any(kind not in PenaltyKind.values for kind in kinds):
        raise ValidationError(_("Choose the kinds of penalty."), code="invalid")
    return kinds


def _check_amount(amount_fen: int) -> int:
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen < 0:
        raise ValidationError(_("Enter the fine in fen as a whole number."), code="invalid")
    return amount_fen


def record_advance_notice(
    actor: Any,
    case: Case,
    *,
    notified_at: dt.datetime,
    notified_to: str,
    method: str,
    penalty_kinds: Iterable[str],
    proposed_fine_fen: int = 0,
    rights: Iterable[str] = RIGHTS,
    request: HttpRequest | None = None,
) -> AdvanceNotice:
    """R8.1: when, how, by whom, to whom, which rights, and the proposed penalty."""
    access.require(actor, CasePerms.CHANGE, case, request=request)
    rights = list(dict.fromkeys(rights))
    if any(right not in RIGHTS for right in rights) or not {"statement", "defence"} <= set(rights):
        # Art. 44: the rights to state and defend are always notified.
        raise ValidationError(_("The notice must name the rights to state and to defend."))
    if not notified_to.strip() or not method.strip():
        raise ValidationError(_("Say to whom and how the notice was given."), code="required")
    kinds = _check_kinds(penalty_kinds)
    with transaction.atomic():
        notice = AdvanceNotice.objects.create(
            case=case,
            notified_at=notified_at,
            notified_by=actor,
            notified_to=notified_to.strip(),
            method=method.strip(),
            penalty_kinds=kinds,
            proposed_fine_fen=_check_amount(proposed_fine_fen),
            rights=rights,
        )
        audit.record(
            CaseEvents.ADVANCE_NOTICE,
            actor=actor,
            request=request,
            obj=notice,
            case_id=case.pk,
            details={
                "to": notice.notified_to,
                "method": notice.method,
                "rights": rights,
                "kinds": kinds,
                "fine_fen": proposed_fine_fen,
            },
        )
    return notice


def record_waiver(
    actor: Any,
    notice: AdvanceNotice,
    *,
    rights: Iterable[str],
    statement: str,
    request: HttpRequest | None = None,
) -> Waiver:
    """R8.2: the party's own statement that it waives statement, defence or hearing."""
    access.require(actor, CasePerms.CHANGE, notice.case, request=request)
    rights = list(dict.fromkeys(rights))
    if not rights or any(right not in RIGHTS for right in rights):
        raise ValidationError(_("Name the rights the party waives."), code="invalid")
    if not statement.strip():
        raise ValidationError(_("Record the party's statement."), code="required")
    with transaction.atomic():
        waiver = Waiver.objects.create(
            notice=notice, rights=rights, statement=statement.strip(), recorded_by=actor
        )
        audit.record(
            CaseEvents.WAIVER,
            actor=actor,
            request=request,
            obj=waiver,
            case_id=notice.case_id,
            details={"rights": rights, "statement": waiver.statement},
        )
    return waiver


def record_legal_review(
    actor: Any,
    case: Case,
    *,
    opinion: str,
    result: str,
    request: HttpRequest | None = None,
) -> LegalReview:
    """Art. 58 法制审核; the access rule keeps the case's investigators out."""
    access.require(actor, CasePerms.LEGAL_REVIEW, case, request=request)
    if result not in ReviewResult.values or not opinion.strip():
        raise ValidationError(_("A legal review needs an opinion and a result."), code="required")
    with transaction.atomic():
        review = LegalReview.objects.create(
            case=case, reviewer=actor, opinion=opinion.strip(), result=result
        )
        audit.record(
            CaseEvents.LEGAL_REVIEW,
            actor=actor,
            request=request,
            obj=review,
            case_id=case.pk,
            details={"result": result, "opinion": review.opinion},
        )
    return review


def record_discussion(
    actor: Any,
    case: Case,
    *,
    held_at: dt.datetime,
    attendees: Iterable[User],
    opinions: str,
    conclusion: str,
    other_attendees: str = "",
    experts: str = "",
    expert_opinion: str = "",
    request: HttpRequest | None = None,
) -> CollectiveDiscussion:
    """R7.3 集体讨论记录 (and R7.4 the experts' minutes or opinion, where they took part)."""
    access.require(actor, CasePerms.CHANGE, case, request=request)
    attendees = list(attendees)
    if len(attendees) < 2 or not opinions.strip() or not conclusion.strip():
        raise ValidationError(
            _(
                "A collective discussion record needs the attendees, their opinions and the "
                "conclusion."
            ),
            code="required",
        )
    experts, expert_opinion = experts.strip(), expert_opinion.strip()
    if experts and not expert_opinion:
        raise ValidationError(
            {"expert_opinion": [approvals.EXPERT_RECORD_REQUIRED]}, code="expert_record_missing"
        )
    with transaction.atomic():
        discussion = CollectiveDiscussion.objects.create(
            case=case,
            held_at=held_at,
            other_attendees=other_attendees.strip(),
            opinions=opinions.strip(),
            conclusion=conclusion.strip(),
            experts=experts,
            expert_opinion=expert_opinion,
            recorded_by=actor,
        )
        discussion.attendees.set(attendees)
        audit.record(
            CaseEvents.DISCUSSION,
            actor=actor,
            request=request,
            obj=discussion,
            case_id=case.pk,
            details={
                "attendees": [a.pk for a in attendees],
                "experts": experts,
                "conclusion": discussion.conclusion,
            },
        )
    return discussion


def needs_collective_discussion(case: Case, kinds: Iterable[str] | None = None) -> bool:
    """R7.3 (Art. 57): a complex or serious case, or a penalty on the configured list of
    heavier penalties — those proposed in the latest advance notice when ``kinds`` is None."""
    if case.complex_or_serious:
        return True
    if kinds is None:
        notice = case.advance_notices.order_by("-notified_at", "-id").first()
        kinds = notice.penalty_kinds if notice is not None else ()
    heavy = set(rules.value("collective_discussion_penalty_kinds"))
    return bool(heavy.intersection(kinds))


def decision_blockers(case: Case, kinds: list[str], fine_fen: int) -> list[str]:
    """Why a decision may not be made now (empty: it may). Ordinary procedure only."""
    reasons: list[str] = []
    if case.stage != Stage.DECISION:
        reasons.append(_("A decision is made in the review and decision stage."))
    notice = case.advance_notices.order_by("-notified_at", "-id").first()
    if notice is None:
        reasons.append(
            _("The party has not been given the advance notice (事先告知) of its rights (R8.1).")
        )
    else:
        # Art. 45: the penalty may not be heavier than the one notified.
        if fine_fen > notice.proposed_fine_fen:
            reasons.append(_("The fine exceeds the fine proposed in the advance notice."))
        if not set(kinds) <= set(notice.penalty_kinds):
            reasons.append(_("The decision adds penalties not proposed in the advance notice."))
    if (
        case.needs_legal_review
        and not case.legal_reviews.filter(
            result__in=(ReviewResult.AGREE, ReviewResult.AMEND)
        ).exists()
    ):
        reasons.append(_("Legal review (法制审核) is required before this decision (Art. 58)."))
    if needs_collective_discussion(case, kinds) and not case.discussions.exists():
        reasons.append(
            _(
                "A collective discussion record (集体讨论) is required for a complex or serious "
                "case, or for these penalties (R7.3)."
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


def record_decision(
    actor: Any,
    case: Case,
    *,
    penalty_kinds: Iterable[str],
    fine_fen: int,
    facts: str,
    basis: str,
    request: HttpRequest | None = None,
) -> Decision:
    access.require(actor, CasePerms.CHANGE, case, request=request)
    kinds = _check_kinds(penalty_kinds)
    fine_fen = _check_amount(fine_fen)
    if not facts.strip() or not basis.strip():
        raise ValidationError(_("A decision states the facts and the legal basis."))
    if Decision.objects.filter(case=case).exists():
        raise ValidationError(_("This case has a decision already."), code="duplicate")
    reasons = decision_blockers(case, kinds, fine_fen)
    if reasons:
        raise ValidationError(reasons, code="blocked")
    with transaction.atomic():
        decision = _create_decision(actor, case, kinds, fine_fen, facts, basis)
        audit.record(
            CaseEvents.DECIDE,
            actor=actor,
            request=request,
            obj=decision,
            case_id=case.pk,
            details={"number": decision.number, "kinds": kinds, "fine_fen": fine_fen},
        )
    return decision


def _create_decision(
    actor: Any,
    case: Case,
    kinds: list[str],
    fine_fen: int,
    facts: str,
    basis: str,
    number: str | None = None,
) -> Decision:
    return Decision.objects.create(
        case=case,
        number=number or numbering.allocate(numbering.KIND_PENALTY, case.field),
        penalty_kinds=kinds,
        fine_fen=fine_fen,
        facts=facts.strip(),
        basis=basis.strip(),
        decided_by=actor,
    )


def simple_procedure_limit(subject: Subject) -> int:
    """Art. 51: the largest on-the-spot fine for this party (person or organisation), fen."""
    from liuhen.subjects.models import SubjectKind

    key = (
        "simple_procedure_max_fine_organisation"
        if subject.kind == SubjectKind.UNIT
        else "simple_procedure_max_fine_person"  # the stricter limit for anyone not a unit
    )
    return int(rules.value(key))


def decide_on_the_spot(
    actor: Any,
    *,
    unit: Unit,
    subject: Subject,
    officers: Iterable[User],
    penalty_kind: str,
    amount_fen: int,
    facts: str,
    basis: str,
    field: str,
    request: HttpRequest | None = None,
) -> Case:
    """A simple-procedure 当场处罚 case with its pre-numbered decision (Art. 51, 52)."""
    access.require(actor, CasePerms.CREATE, unit, request=request)
    amount_fen = _check_amount(amount_fen)
    if penalty_kind == PenaltyKind.WARNING:
        amount_fen = 0
    elif penalty_kind != PenaltyKind.FINE:
        raise ValidationError(
            _("Only a warning or a fine may be imposed on the spot; use the ordinary procedure."),
            code="ordinary_required",
        )
    limit = simple_procedure_limit(subject)
    if amount_fen > limit:
        raise ValidationError(
            _(
                "A fine above ¥%(limit)s cannot be imposed on the spot: the ordinary procedure "
                "is required (Administrative Penalty Law Art. 51)."
            )
            % {"limit": f"{limit / 100:,.2f}"},
            code="ordinary_required",
        )
    officers = list(officers)
    if actor not in officers and isinstance(actor, User):
        officers.insert(0, actor)
    if not facts.strip() or not basis.strip():
        raise ValidationError(_("A decision states the facts and the legal basis."))
    from liuhen.cases import actions
    from liuhen.subjects.models import CaseParty

    with transaction.atomic():
        number = numbering.allocate(numbering.KIND_PENALTY, field.strip())
        case = actions.open_case(
            actor,
            title=_("On-the-spot penalty: %(name)s") % {"name": subject.name},
            unit=unit,
            number=number,
            field=field,
            officers=officers,
            stage=Stage.SERVICE,
            procedure=Procedure.SIMPLE,
            request=request,
        )
        # Art. 52: filed 备案 with the agency within the configured working days.
        case.simple_filing_due = calendar.add_working_days(
            timezone.localdate(), int(rules.value("simple_procedure_filing"))
        )
        case.save(update_fields=["simple_filing_due"])
        CaseParty.objects.create(case=case, subject=subject, created_by=actor)
        decision = _create_decision(
            actor, case, [penalty_kind], amount_fen, facts, basis, number=number
        )
        audit.record(
            CaseEvents.DECIDE_ON_THE_SPOT,
            actor=actor,
            request=request,
            obj=decision,
            case_id=case.pk,
            details={
                "number": number,
                "kind": penalty_kind,
                "fine_fen": amount_fen,
                "subject": subject.pk,
            },
        )
    return case


def file_simple_case(actor: Any, case: Case, *, request: HttpRequest | None = None) -> Case:
    """Record the 备案 of an on-the-spot decision with the agency (Art. 52)."""
    access.require(actor, CasePerms.CHANGE, case, request=request)
    if case.procedure != Procedure.SIMPLE:
        raise ValidationError(_("Only simple-procedure cases are filed this way."), code="state")
    if case.simple_filed_at is not None:
        raise ValidationError(_("The case has been filed already."), code="state")
    with transaction.atomic():
        case.simple_filed_at = timezone.now()
        case.save(update_fields=["simple_filed_at"])
        overdue = case.simple_filing_due is not None and (
            timezone.localdate() > case.simple_filing_due
        )
        audit.record(
            CaseEvents.SIMPLE_FILED,
            actor=actor,
            request=request,
            obj=case,
            details={"late": overdue},
        )
    return case
