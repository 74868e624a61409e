"""Rights notices, legal review, collective discussion, the decision and the simple procedure.

R8.1 advance notice 事先告知, R8.2 waivers, Art. 58 legal review 法制审核, R7.3 collective
discussion 集体讨论, Art. 59 decision, Art. 51/52 simple procedure 简易程序.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.accounts.models import Role, Unit, User
from liuhen.cases import approvals, enforcement_fields, notices, numbering
from liuhen.cases.actions.assignment import _record_party
from liuhen.cases.actions.frozen import refuse_if_archived
from liuhen.cases.actions.numbering import allocate
from liuhen.cases.actions.registration import _open_case
from liuhen.cases.decisions import (
    RIGHTS,
    decision_blockers,
    hearing_right_missing,
    latest_notice,
    simple_procedure_limit,
)
from liuhen.cases.events import CaseEvents
from liuhen.cases.hearings import hearing_right, parties_are_organisations
from liuhen.cases.models import (
    AdvanceNotice,
    Case,
    CollectiveDiscussion,
    Decision,
    DiscussionOpinion,
    LegalReview,
    PenaltyKind,
    Procedure,
    ReviewResult,
    Stage,
    Waiver,
)
from liuhen.cases.perms import CasePerms
from liuhen.core import access, audit, calendar, registry, rules
from liuhen.subjects.models import CaseParty, Licence

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.subjects.models import Subject


# Regulation Art. 5(一): the on-the-spot penalty is recorded as an activity of this type,
# which the rule ``av_required_activity_types`` lists (an activity type the activities app
# seeds).
ON_THE_SPOT_ACTIVITY = "on_the_spot_penalty"


def _check_kinds(kinds: Iterable[str]) -> list[str]:
    kinds = list(dict.fromkeys(kinds))
    if not kinds or any(kind not in PenaltyKind.values for kind in kinds):
        raise ValidationError(_("Choose the kinds of penalty."), code="invalid")
    return kinds


# The penalties that take away a licence: the one they are about is named (R18.3).
LICENCE_KINDS: frozenset[str] = frozenset({PenaltyKind.LICENCE_SUSPEND, PenaltyKind.LICENCE_REVOKE})


def _check_licence(case: Case, kinds: list[str], licence: Licence | None) -> None:
    if licence is None:
        return
    if not LICENCE_KINDS & set(kinds):
        raise ValidationError(
            _("A licence is named only when its suspension or revocation is proposed."),
            code="invalid",
        )
    if not CaseParty.objects.filter(case=case, subject_id=licence.subject_id).exists():
        raise ValidationError(
            _("The licence named is not one of a party of this case."), code="invalid"
        )


def _check_amount(amount_fen: int) -> int:
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen < 0:
        raise ValidationError(_("Enter the fine in fen as a whole number."), code="invalid")
    return amount_fen


def record_advance_notice(
    actor: User,
    case: Case,
    *,
    notified_at: dt.datetime,
    notified_to: str,
    method: str,
    penalty_kinds: Iterable[str],
    proposed_fine_fen: int = 0,
    proposed_confiscation_fen: int = 0,
    rights: Iterable[str] = RIGHTS,
    licence: Licence | None = None,
    request: HttpRequest | None = None,
) -> AdvanceNotice:
    """R8.1: when, how, by whom, to whom, which rights, and the proposed penalty (with the
    value of what is to be confiscated). A penalty that carries the right to a hearing
    (行政处罚法 Art. 63) is not notified without it."""
    access.require(actor, CasePerms.CHANGE, case, request=request)
    refuse_if_archived(actor, case, "cases.record_advance_notice", request=request)
    rights = list(dict.fromkeys(rights))
    if any(right not in RIGHTS for right in rights) or not {"statement", "defence"} <= set(rights):
        # Art. 44: the rights to state and defend are always notified.
        raise ValidationError(_("The notice must name the rights to state and to defend."))
    if not notified_to.strip() or not method.strip():
        raise ValidationError(_("Say to whom and how the notice was given."), code="required")
    kinds = _check_kinds(penalty_kinds)
    _check_licence(case, kinds, licence)
    proposed_fine_fen = _check_amount(proposed_fine_fen)
    proposed_confiscation_fen = _check_amount(proposed_confiscation_fen)
    if "hearing" not in rights:
        required = hearing_right(
            kinds=kinds,
            fine_fen=proposed_fine_fen,
            confiscation_fen=proposed_confiscation_fen,
            organisation=parties_are_organisations(case),
        )
        if required:
            raise ValidationError(
                hearing_right_missing(required.reasons), code="hearing_right_required"
            )
    with transaction.atomic(durable=True):
        notice = AdvanceNotice.objects.create(
            case=case,
            notified_at=notified_at,
            notified_by=actor,
            notified_to=notified_to.strip(),
            method=method.strip(),
            penalty_kinds=kinds,
            proposed_fine_fen=proposed_fine_fen,
            proposed_confiscation_fen=proposed_confiscation_fen,
            rights=rights,
            licence=licence,
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
                "confiscation_fen": proposed_confiscation_fen,
                "licence": licence.pk if licence is not None else None,
            },
        )
    return notice


def record_waiver(
    actor: User,
    notice: AdvanceNotice,
    *,
    rights: Iterable[str],
    statement: str,
    request: HttpRequest | None = None,
) -> Waiver:
    """R8.2: the party's own statement that it waives statement, defence or hearing."""
    access.require(actor, CasePerms.CHANGE, notice.case, request=request)
    refuse_if_archived(actor, notice.case, "cases.record_waiver", request=request)
    rights = _check_waiver(rights, statement)
    with transaction.atomic(durable=True):
        return _write_waiver(actor, notice, rights, statement, request=request)


def waiver_notice(case: Case) -> AdvanceNotice:
    """R8.2: the advance notice a waiver signed now is of — the one in force."""
    notice = latest_notice(case)
    if notice is None:
        raise ValidationError(
            _(
                "No advance notice (事先告知) is recorded on this case: record it on the "
                "case's rights notice page before the party signs a waiver."
            ),
            code="no_notice",
        )
    return notice


def record_signed_waiver(
    actor: User,
    case: Case,
    *,
    rights: Iterable[str],
    statement: str,
    document: dict[str, Any],
    request: HttpRequest | None = None,
) -> Waiver:
    """R8.2: the waiver the party signed on a document (the advance notice, a service
    receipt) is the case's waiver on the notice in force, recorded as it is signed so that
    nobody types it again. Part of the signing action, so it runs inside that action's
    transaction; ``document`` names the signed document in the audit event."""
    access.require(actor, CasePerms.CHANGE, case, request=request)
    refuse_if_archived(actor, case, "cases.record_signed_waiver", request=request)
    rights = _check_waiver(rights, statement)
    return _write_waiver(
        actor, waiver_notice(case), rights, statement, request=request, details=document
    )


def _check_waiver(rights: Iterable[str], statement: str) -> list[str]:
    rights = list(dict.fromkeys(rights))
    if not rights or any(right not in RIGHTS for right in rights):
        raise ValidationError(_("Name the rights the party waives."), code="invalid")
    if not statement.strip():
        raise ValidationError(_("Record the party's statement."), code="required")
    return rights


def _write_waiver(
    actor: User,
    notice: AdvanceNotice,
    rights: list[str],
    statement: str,
    *,
    request: HttpRequest | None,
    details: dict[str, Any] | None = None,
) -> Waiver:
    waiver = Waiver.objects.create(
        notice=notice, rights=rights, statement=statement.strip(), recorded_by=actor
    )
    audit.record(
        CaseEvents.WAIVER,
        actor=actor,
        request=request,
        obj=waiver,
        case_id=notice.case_id,
        details={"rights": rights, "statement": waiver.statement, **(details or {})},
    )
    return waiver


def record_legal_review(
    actor: User,
    case: Case,
    *,
    opinion: str,
    result: str,
    request: HttpRequest | None = None,
) -> LegalReview:
    """Art. 58 法制审核; the access rule keeps the case's investigators out."""
    access.require(actor, CasePerms.LEGAL_REVIEW, case, request=request)
    refuse_if_archived(actor, case, "cases.record_legal_review", request=request)
    if result not in ReviewResult.values or not opinion.strip():
        raise ValidationError(_("A legal review needs an opinion and a result."), code="required")
    with transaction.atomic(durable=True):
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
    actor: User,
    case: Case,
    *,
    held_at: dt.datetime,
    attendees: Iterable[User],
    opinions: str,
    conclusion: str,
    attendee_opinions: Mapping[int, str] | None = None,
    other_attendees: str = "",
    experts: str = "",
    expert_opinion: str = "",
    request: HttpRequest | None = None,
) -> CollectiveDiscussion:
    """R7.3 集体讨论记录 (and R7.4 the experts' minutes or opinion, where they took part).

    The chair records the discussion: the attendees, the minutes (``opinions``), each
    attendee's own opinion as drafted (``attendee_opinions``, by user id) and the
    conclusion. Each attendee then confirms their own opinion (:func:`confirm_opinion`);
    the chair's own, drafted by the chair, stands confirmed. 行政处罚法 Art. 57: the
    agency's heads decide, so the agency head (or the deputy designated to act for the
    head, who holds the agency-head role) is among the attendees, and may chair.
    """
    access.require(actor, CasePerms.DISCUSS, case, request=request)
    refuse_if_archived(actor, case, "cases.record_discussion", request=request)
    attendees = list(dict.fromkeys(attendees))
    drafts = {int(k): str(v).strip() for k, v in (attendee_opinions or {}).items()}
    if len(attendees) < 2 or not opinions.strip() or not conclusion.strip():
        raise ValidationError(
            _(
                "A collective discussion record needs the attendees, their opinions and the "
                "conclusion."
            ),
            code="required",
        )
    if not any(person.has_role(Role.AGENCY_HEAD) for person in attendees):
        # Art. 57: "行政机关负责人应当集体讨论决定" — the head, or the deputy designated to
        # act for the head (who is given the agency-head role), takes part.
        message = _(
            "The agency's heads decide by collective discussion (Administrative Penalty Law "
            "Art. 57): the agency head, or the deputy designated to act for the head, must be "
            "among the attendees."
        )
        raise ValidationError({"attendees": [message]}, code="agency_head_missing")
    experts, expert_opinion = experts.strip(), expert_opinion.strip()
    if experts and not expert_opinion:
        raise ValidationError(
            {"expert_opinion": [approvals.EXPERT_RECORD_REQUIRED]}, code="expert_record_missing"
        )
    now = timezone.now()
    with transaction.atomic(durable=True):
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
        rows = []
        for person in attendees:
            drafted = drafts.get(person.pk, "")
            # The chair drafted their own opinion: it needs no second word from them.
            own = person.pk == actor.pk and bool(drafted)
            rows.append(
                DiscussionOpinion(
                    discussion=discussion,
                    attendee=person,
                    drafted=drafted,
                    confirmed=drafted if own else "",
                    confirmed_at=now if own else None,
                )
            )
        DiscussionOpinion.objects.bulk_create(rows)
        audit.record(
            CaseEvents.DISCUSSION,
            actor=actor,
            request=request,
            obj=discussion,
            case_id=case.pk,
            details={
                "attendees": [a.pk for a in attendees],
                "drafted": {str(k): v for k, v in drafts.items() if v},
                "experts": experts,
                "conclusion": discussion.conclusion,
            },
        )
        for row in discussion.attendee_opinions.select_related("attendee", "discussion__case"):
            if not row.settled:
                notices.opinion_to_confirm(row)
    return discussion


def confirm_opinion(
    actor: User,
    opinion: DiscussionOpinion,
    *,
    text: str,
    request: HttpRequest | None = None,
) -> DiscussionOpinion:
    """R7.3: the attendee confirms their own opinion at the collective discussion, as the
    chair drafted it or in their own words (``text``)."""
    access.require(actor, CasePerms.CONFIRM_OPINION, opinion, request=request)
    refuse_if_archived(actor, opinion.discussion.case, "cases.confirm_opinion", request=request)
    text = text.strip()
    if not text:
        raise ValidationError(_("State your opinion."), code="required")
    with transaction.atomic(durable=True):
        opinion = DiscussionOpinion.objects.select_for_update().get(pk=opinion.pk)
        if opinion.settled:
            raise ValidationError(_("This opinion has been settled already."), code="settled")
        opinion.confirmed = text
        opinion.confirmed_at = timezone.now()
        opinion.save(update_fields=["confirmed", "confirmed_at"])
        audit.record(
            CaseEvents.OPINION_CONFIRMED,
            actor=actor,
            request=request,
            obj=opinion,
            case_id=opinion.discussion.case_id,
            details={
                "discussion": opinion.discussion_id,
                "opinion": text,
                "as_drafted": text == opinion.drafted,
            },
        )
    return opinion


def record_unconfirmed_reason(
    actor: User,
    opinion: DiscussionOpinion,
    *,
    reason: str,
    request: HttpRequest | None = None,
) -> DiscussionOpinion:
    """R7.3: why an attendee cannot confirm their opinion (left the bureau, long absence),
    recorded by whoever chairs or works the case; the discussion may then conclude."""
    case = opinion.discussion.case
    access.require(actor, CasePerms.DISCUSS, case, request=request)
    refuse_if_archived(actor, case, "cases.record_unconfirmed_reason", request=request)
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            _("Say why the attendee cannot confirm their opinion."), code="required"
        )
    with transaction.atomic(durable=True):
        opinion = DiscussionOpinion.objects.select_for_update().get(pk=opinion.pk)
        if opinion.settled:
            raise ValidationError(_("This opinion has been settled already."), code="settled")
        opinion.unconfirmed_reason = reason
        opinion.reason_by = actor
        opinion.save(update_fields=["unconfirmed_reason", "reason_by"])
        audit.record(
            CaseEvents.OPINION_UNCONFIRMED,
            actor=actor,
            request=request,
            obj=opinion,
            case_id=case.pk,
            details={
                "discussion": opinion.discussion_id,
                "attendee": opinion.attendee_id,
                "reason": reason,
            },
        )
    return opinion


def record_decision(
    actor: User,
    case: Case,
    *,
    penalty_kinds: Iterable[str],
    fine_fen: int,
    facts: str,
    basis: str,
    request: HttpRequest | None = None,
) -> Decision:
    """Art. 59 the penalty decision, once nothing blocks it (``decision_blockers``)."""
    access.require(actor, CasePerms.CHANGE, case, request=request)
    refuse_if_archived(actor, case, "cases.record_decision", request=request)
    kinds = _check_kinds(penalty_kinds)
    fine_fen = _check_amount(fine_fen)
    if not facts.strip() or not basis.strip():
        raise ValidationError(_("A decision states the facts and the legal basis."))
    if Decision.objects.filter(case=case).exists():
        raise ValidationError(_("This case has a decision already."), code="duplicate")
    reasons = decision_blockers(case, kinds, fine_fen)
    if reasons:
        raise ValidationError(reasons, code="blocked")
    with transaction.atomic(durable=True):
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
    actor: User,
    case: Case,
    kinds: list[str],
    fine_fen: int,
    facts: str,
    basis: str,
    number: str | None = None,
) -> Decision:
    return Decision.objects.create(
        case=case,
        number=number or allocate(numbering.KIND_PENALTY, case.field),
        penalty_kinds=kinds,
        fine_fen=fine_fen,
        facts=facts.strip(),
        basis=basis.strip(),
        decided_by=actor,
    )


def decide_on_the_spot(
    actor: User,
    *,
    unit: Unit,
    subject: Subject,
    officers: Iterable[User],
    penalty_kind: str,
    amount_fen: int,
    facts: str,
    basis: str,
    field: str,
    place: str,
    started_at: dt.datetime | None = None,
    gps: Sequence[Any] | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """A simple-procedure 当场处罚 case with its pre-numbered decision (Art. 51, 52).

    The penalty imposed on the spot is an enforcement activity like any other (regulation
    Art. 5(一): it needs AV), recorded with the case by the activity recorder: at ``place``
    from ``started_at`` (now by default) until now, with ``officers`` present — at least
    the rule ``min_officers_on_site`` of them holding an enforcement certificate valid on
    that day (行政处罚法 Art. 42, 52; 农业行政处罚程序规定 Art. 6), checked as on any
    on-site activity.
    """
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
    if actor not in officers:
        officers.insert(0, actor)
    if not facts.strip() or not basis.strip():
        raise ValidationError(_("A decision states the facts and the legal basis."))
    field = enforcement_fields.resolve(field)
    with transaction.atomic(durable=True):
        number = allocate(numbering.KIND_PENALTY, field)
        case = _open_case(
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
        _record_party(actor, CaseParty.objects.create(case=case, subject=subject, created_by=actor))
        decision = _create_decision(
            actor, case, [penalty_kind], amount_fen, facts, basis, number=number
        )
        now = timezone.now()
        started_at = started_at or now
        _activity_recorder()(
            actor,
            case=case,
            type_code=ON_THE_SPOT_ACTIVITY,
            started_at=started_at,
            ended_at=max(now, started_at),
            place=place,
            officers=officers,
            party=subject,
            gps=gps,
            request=request,
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


def _activity_recorder() -> Callable[..., Any]:
    """The activities app's recorder (a layer above; ``registry.activity_recorders``)."""
    recorders = registry.activity_recorders.values()
    if len(recorders) != 1:
        raise ImproperlyConfigured("one activity recorder must be registered (R5.1)")
    return recorders[0]


def file_simple_case(actor: User, case: Case, *, request: HttpRequest | None = None) -> Case:
    """Record the 备案 of an on-the-spot decision with the agency (Art. 52)."""
    access.require(actor, CasePerms.CHANGE, case, request=request)
    refuse_if_archived(actor, case, "cases.file_simple_case", request=request)
    if case.procedure != Procedure.SIMPLE:
        raise ValidationError(_("Only simple-procedure cases are filed this way."), code="state")
    if case.simple_filed_at is not None:
        raise ValidationError(_("The case has been filed already."), code="state")
    with transaction.atomic(durable=True):
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
