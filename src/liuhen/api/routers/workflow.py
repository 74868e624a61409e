"""The workflow of a case (R3.1) through the actions of ``liuhen.cases.actions.workflow`` and
``liuhen.cases.actions.decisions``: its stage and what blocks the next, moving on, the advance
notice and waivers (R8.1, R8.2), legal review (Art. 58), collective discussion (R7.3),
the decision (Art. 59), closing, and the simple procedure's on-the-spot penalty (Art. 51).

A case the caller may not see is answered 404, as one that does not exist (the attempt is
audited); a refused action 403; a refused step 422 with the action's own reasons. Amounts
are in fen.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from liuhen.accounts.models import User
from liuhen.api.lookups import aware, display_name, username, users_named
from liuhen.api.pagination import Pagination
from liuhen.api.schemas import ERRORS, ERRORS_404
from liuhen.cases import decisions, workflow
from liuhen.cases.actions.decisions import (
    confirm_opinion,
    decide_on_the_spot,
    file_simple_case,
    record_advance_notice,
    record_decision,
    record_discussion,
    record_legal_review,
    record_waiver,
)
from liuhen.cases.actions.workflow import advance_stage, close_case
from liuhen.cases.http import AuthenticatedRequest
from liuhen.cases.models import (
    AdvanceNotice,
    Case,
    ClosingCondition,
    CollectiveDiscussion,
    Decision,
    DiscussionOpinion,
    LegalReview,
    PenaltyKind,
    ReviewResult,
    Stage,
    Waiver,
)
from liuhen.cases.perms import CasePerms
from liuhen.core import access
from liuhen.subjects.licences.queries import licences_of_parties
from liuhen.subjects.models import Licence, Subject

router = Router(tags=["workflow"])

Right = Literal["statement", "defence", "withdrawal", "hearing"]
ALL_RIGHTS: list[Right] = ["statement", "defence", "withdrawal", "hearing"]


def _stage_label(stage: str | None) -> str:
    return str(dict(Stage.choices).get(stage, stage or "")) if stage else ""


# --- the stage and its blockers ---------------------------------------------------------


class BlockerOut(Schema):
    code: str = Field(description="stable, e.g. filing_not_approved, av_missing")
    message: str = Field(description="why, in the request's language")
    message_zh: str
    message_en: str
    article: str = Field(description="the article or requirement, e.g. 59 or R5.2")


class WorkflowOut(Schema):
    case_id: int
    number: str
    procedure: str = Field(description="ordinary or simple")
    stage: str
    stage_label: str
    next_stage: str | None
    next_stage_label: str
    blockers: list[BlockerOut] = Field(description="what keeps the case in its stage now")
    may_advance: bool = Field(description="no blockers and you may change the case")
    closing_condition: str
    closed_at: dt.datetime | None
    simple_filing_due: dt.date | None = Field(description="simple procedure: 备案 due (Art. 52)")
    simple_filed_at: dt.datetime | None


def _blockers(case: Case) -> list[dict[str, str]]:
    if workflow.next_stage(case) is None:
        return []  # the last stage: nothing to move on to
    with translation.override("zh-hans"):
        chinese = workflow.blockers(case)
    with translation.override("en"):
        english = workflow.blockers(case)
    in_english = (translation.get_language() or "").startswith("en")
    return [
        {
            "code": zh.code,
            "message": en.message if in_english else zh.message,
            "message_zh": zh.message,
            "message_en": en.message,
            "article": zh.article,
        }
        for zh, en in zip(chinese, english, strict=True)
    ]


def _case(request: AuthenticatedRequest, case_id: int) -> Case:
    """The case the endpoint is about: 404 (audited) unless the caller may read it."""
    return access.get_visible_or_404(
        request.user, Case, action=CasePerms.VIEW, request=request, pk=case_id
    )


def _workflow(request: AuthenticatedRequest, case: Case) -> dict[str, Any]:
    case.refresh_from_db()
    upcoming = workflow.next_stage(case)
    blockers = _blockers(case)
    return {
        "case_id": case.pk,
        "number": case.number,
        "procedure": case.procedure,
        "stage": case.stage,
        "stage_label": _stage_label(case.stage),
        "next_stage": upcoming,
        "next_stage_label": _stage_label(upcoming),
        "blockers": blockers,
        "may_advance": upcoming is not None
        and not blockers
        and access.can(request.user, CasePerms.CHANGE, case),
        "closing_condition": case.closing_condition,
        "closed_at": case.closed_at,
        "simple_filing_due": case.simple_filing_due,
        "simple_filed_at": case.simple_filed_at,
    }


class CloseIn(Schema):
    condition: ClosingCondition


@router.get(
    "/cases/{case_id}/workflow",
    response={200: WorkflowOut, **ERRORS_404},
    summary="The case's stage, the next stage and every reason it may not move on yet",
)
def case_workflow(request: AuthenticatedRequest, case_id: int) -> dict[str, Any]:
    return _workflow(request, _case(request, case_id))


@router.post(
    "/cases/{case_id}/advance",
    response={200: WorkflowOut, **ERRORS_404},
    summary="Move the case to its next stage (422 with every blocking reason otherwise)",
)
def advance(request: AuthenticatedRequest, case_id: int) -> dict[str, Any]:
    case = _case(request, case_id)
    advance_stage(request.user, case, request=request)
    return _workflow(request, case)


@router.post(
    "/cases/{case_id}/close",
    response={200: WorkflowOut, **ERRORS_404},
    summary="Close the case 结案 with a closing condition (the closing report approved)",
)
def close(request: AuthenticatedRequest, case_id: int, payload: CloseIn) -> dict[str, Any]:
    """Ask for the ``closing`` approval first (POST /cases/{id}/approval-requests)."""
    case = _case(request, case_id)
    close_case(request.user, case, condition=payload.condition, request=request)
    return _workflow(request, case)


# --- advance notice and waivers (R8.1, R8.2) -------------------------------------------


class WaiverOut(Schema):
    id: int
    notice_id: int
    rights: list[str]
    statement: str = Field(description="the party's own statement")
    recorded_by: str
    recorded_at: dt.datetime

    @staticmethod
    def resolve_recorded_by(waiver: Waiver) -> str:
        return username(waiver.recorded_by)


class AdvanceNoticeOut(Schema):
    id: int
    case_id: int
    notified_at: dt.datetime
    notified_by: str = Field(description="username")
    notified_by_name: str
    notified_to: str
    method: str
    penalty_kinds: list[str]
    proposed_fine_fen: int
    proposed_confiscation_fen: int
    rights: list[str]
    licence_id: int | None = Field(
        description="the party's licence whose suspension or revocation is proposed"
    )
    recorded_at: dt.datetime
    waivers: list[WaiverOut]

    @staticmethod
    def resolve_notified_by(notice: AdvanceNotice) -> str:
        return username(notice.notified_by)

    @staticmethod
    def resolve_notified_by_name(notice: AdvanceNotice) -> str:
        return display_name(notice.notified_by)

    @staticmethod
    def resolve_waivers(notice: AdvanceNotice) -> list[Waiver]:
        return sorted(notice.waivers.all(), key=lambda w: (w.recorded_at, w.pk))


class AdvanceNoticeIn(Schema):
    notified_at: dt.datetime = Field(description="without an offset: local time")
    notified_to: str = Field("", description="to whom (required)")
    method: str = Field("", description="how, e.g. 直接送达 (required)")
    penalty_kinds: list[PenaltyKind] = Field(default_factory=list)
    proposed_fine_fen: int = Field(0, description="the proposed fine in fen")
    proposed_confiscation_fen: int = Field(
        0,
        description="the value of the illegal gains and property to be confiscated, in fen; "
        "with the fine it decides whether the hearing right must be notified (Art. 63)",
    )
    rights: list[Right] = Field(
        default_factory=lambda: list(ALL_RIGHTS),
        description="rights notified; statement and defence are always required",
    )
    licence_id: int | None = Field(
        None,
        description="when suspension or revocation of a licence is proposed: which licence "
        "of a party of the case (GET /subjects/{id}/licences)",
    )


class WaiverIn(Schema):
    rights: list[Right] = Field(default_factory=list, description="the rights the party waives")
    statement: str = Field("", description="the party's signed statement (required)")


def _party_licence(case: Case, licence_id: int | None) -> Licence | None:
    """The licence of a party of ``case`` that ``licence_id`` names (422 if none)."""
    if licence_id is None:
        return None
    licence = licences_of_parties(case).filter(pk=licence_id).first()
    if licence is None:
        raise ValidationError(
            {"licence_id": [_("The licence named is not one of a party of this case.")]}
        )
    return licence


def _with_waivers(notices: QuerySet[AdvanceNotice]) -> QuerySet[AdvanceNotice]:
    return notices.select_related("notified_by").prefetch_related("waivers__recorded_by")


def _visible_notice(request: AuthenticatedRequest, notice_id: int) -> AdvanceNotice:
    """The notice if the caller may read its case; else 404 (audited)."""
    return access.get_visible_or_404(
        request.user,
        _with_waivers(AdvanceNotice.objects.select_related("case")),
        action=CasePerms.VIEW,
        request=request,
        pk=notice_id,
    )


@router.get(
    "/cases/{case_id}/advance-notices",
    response={200: list[AdvanceNoticeOut], **ERRORS_404},
    summary="The case's advance notices 事先告知 with their waivers, latest first",
)
@paginate(Pagination)
def case_advance_notices(request: AuthenticatedRequest, case_id: int) -> QuerySet[Any]:
    case = _case(request, case_id)
    return _with_waivers(case.advance_notices.order_by("-notified_at", "-id"))


@router.post(
    "/cases/{case_id}/advance-notices",
    response={201: AdvanceNoticeOut, **ERRORS_404},
    summary="Record the advance notice 事先告知 of the proposed penalty and the rights",
)
def create_advance_notice(
    request: AuthenticatedRequest, case_id: int, payload: AdvanceNoticeIn
) -> Status:
    """The decision may not exceed the notified penalty (Art. 45)."""
    case = _case(request, case_id)
    notice = record_advance_notice(
        request.user,
        case,
        licence=_party_licence(case, payload.licence_id),
        notified_at=aware(payload.notified_at),
        notified_to=payload.notified_to,
        method=payload.method,
        penalty_kinds=payload.penalty_kinds,
        proposed_fine_fen=payload.proposed_fine_fen,
        proposed_confiscation_fen=payload.proposed_confiscation_fen,
        rights=payload.rights,
        request=request,
    )
    return Status(201, notice)


@router.get(
    "/advance-notices/{notice_id}",
    response={200: AdvanceNoticeOut, **ERRORS_404},
    summary="One advance notice with its waivers",
)
def get_advance_notice(request: AuthenticatedRequest, notice_id: int) -> AdvanceNotice:
    return _visible_notice(request, notice_id)


@router.post(
    "/advance-notices/{notice_id}/waivers",
    response={201: WaiverOut, **ERRORS_404},
    summary="Record the party's waiver of rights (R8.2)",
)
def create_waiver(request: AuthenticatedRequest, notice_id: int, payload: WaiverIn) -> Status:
    notice = _visible_notice(request, notice_id)
    waiver = record_waiver(
        request.user, notice, rights=payload.rights, statement=payload.statement, request=request
    )
    return Status(201, waiver)


# --- legal review (Art. 58) ------------------------------------------------------------


class LegalReviewOut(Schema):
    id: int
    case_id: int
    reviewer: str = Field(description="username")
    reviewer_name: str
    opinion: str
    result: str = Field(description="agree, amend or disagree")
    result_label: str
    reviewed_at: dt.datetime

    @staticmethod
    def resolve_reviewer(review: LegalReview) -> str:
        return username(review.reviewer)

    @staticmethod
    def resolve_reviewer_name(review: LegalReview) -> str:
        return display_name(review.reviewer)

    @staticmethod
    def resolve_result_label(review: LegalReview) -> str:
        return str(ReviewResult(review.result).label)


class LegalReviewIn(Schema):
    result: ReviewResult
    opinion: str = Field("", description="the reviewer's opinion (required)")


@router.get(
    "/cases/{case_id}/legal-reviews",
    response={200: list[LegalReviewOut], **ERRORS_404},
    summary="The case's legal reviews 法制审核, latest first",
)
@paginate(Pagination)
def case_legal_reviews(request: AuthenticatedRequest, case_id: int) -> QuerySet[Any]:
    case = _case(request, case_id)
    return case.legal_reviews.select_related("reviewer")


@router.post(
    "/cases/{case_id}/legal-reviews",
    response={201: LegalReviewOut, **ERRORS_404},
    summary="Sign a legal review (a legal reviewer who does not investigate the case)",
)
def create_legal_review(
    request: AuthenticatedRequest, case_id: int, payload: LegalReviewIn
) -> Status:
    case = _case(request, case_id)
    review = record_legal_review(
        request.user, case, opinion=payload.opinion, result=payload.result, request=request
    )
    return Status(201, review)


# --- collective discussion (R7.3, R7.4) ------------------------------------------------


class AttendeeOut(Schema):
    username: str
    name: str


class OpinionOut(Schema):
    id: int
    attendee: str = Field(description="the attendee's username")
    drafted: str = Field(description="the opinion as the chair recorded it")
    confirmed: str = Field(description="the opinion as the attendee confirmed it")
    confirmed_at: dt.datetime | None
    unconfirmed_reason: str = Field(description="why the attendee could not confirm")

    @staticmethod
    def resolve_attendee(opinion: DiscussionOpinion) -> str:
        return username(opinion.attendee)


class DiscussionOut(Schema):
    id: int
    case_id: int
    held_at: dt.datetime
    attendees: list[AttendeeOut]
    attendee_opinions: list[OpinionOut] = Field(
        description="each attendee's own opinion and whether they confirmed it (R7.3)"
    )
    concluded: bool = Field(description="every opinion confirmed, or a reason recorded")
    other_attendees: str
    opinions: str
    conclusion: str
    experts: str = Field(description="experts or legal advisers taking part (R7.4)")
    expert_opinion: str = Field(description="experts' minutes or written opinion (R7.4)")
    recorded_by: str
    recorded_at: dt.datetime

    @staticmethod
    def resolve_attendees(discussion: CollectiveDiscussion) -> list[dict[str, str]]:
        people = sorted(discussion.attendees.all(), key=lambda u: u.get_username())
        return [{"username": username(p), "name": display_name(p)} for p in people]

    @staticmethod
    def resolve_recorded_by(discussion: CollectiveDiscussion) -> str:
        return username(discussion.recorded_by)

    @staticmethod
    def resolve_attendee_opinions(discussion: CollectiveDiscussion) -> list[DiscussionOpinion]:
        return list(discussion.attendee_opinions.all())

    @staticmethod
    def resolve_concluded(discussion: CollectiveDiscussion) -> bool:
        return all(o.settled for o in discussion.attendee_opinions.all())


class DiscussionIn(Schema):
    held_at: dt.datetime = Field(description="without an offset: local time")
    attendees: list[str] = Field(
        default_factory=list, description="usernames of the staff present (at least 2)"
    )
    attendee_opinions: dict[str, str] = Field(
        default_factory=dict,
        description="each attendee's own opinion as the chair drafts it, by username; the "
        "attendee confirms it (R7.3)",
    )
    other_attendees: str = ""
    opinions: str = ""
    conclusion: str = ""
    experts: str = Field("", description="experts or legal advisers taking part (R7.4)")
    expert_opinion: str = Field("", description="required when experts took part (R7.4)")


@router.get(
    "/cases/{case_id}/discussions",
    response={200: list[DiscussionOut], **ERRORS_404},
    summary="The case's collective discussion records 集体讨论, latest first",
)
@paginate(Pagination)
def case_discussions(request: AuthenticatedRequest, case_id: int) -> QuerySet[Any]:
    case = _case(request, case_id)
    return case.discussions.select_related("recorded_by").prefetch_related(
        "attendees", "attendee_opinions__attendee"
    )


@router.post(
    "/cases/{case_id}/discussions",
    response={201: DiscussionOut, **ERRORS_404},
    summary="Record a collective discussion",
)
def create_discussion(request: AuthenticatedRequest, case_id: int, payload: DiscussionIn) -> Status:
    """Attendees are named among the staff who decide cases, as on the discussion screen."""
    # Refused before the names are looked at: usernames are not probed.
    case = access.get_visible_or_404(
        request.user, Case, action=CasePerms.DISCUSS, request=request, pk=case_id
    )
    attendees = users_named(
        payload.attendees,
        decisions.discussion_staff(),
        field="attendees",
        unknown_message=_("Unknown attendee: %(name)s"),
    )
    discussion = record_discussion(
        request.user,
        case,
        held_at=aware(payload.held_at),
        attendees=attendees,
        opinions=payload.opinions,
        conclusion=payload.conclusion,
        attendee_opinions={
            person.pk: payload.attendee_opinions.get(person.get_username(), "")
            for person in attendees
        },
        other_attendees=payload.other_attendees,
        experts=payload.experts,
        expert_opinion=payload.expert_opinion,
        request=request,
    )
    return Status(201, discussion)


class ConfirmOpinionIn(Schema):
    text: str = Field(description="the opinion as the attendee confirms it")


@router.post(
    "/discussion-opinions/{opinion_id}/confirm",
    response={200: OpinionOut, **ERRORS_404},
    summary="Confirm one's own opinion at a collective discussion",
)
def confirm_discussion_opinion(
    request: AuthenticatedRequest, opinion_id: int, payload: ConfirmOpinionIn
) -> DiscussionOpinion:
    """R7.3: only the attendee whose opinion it is confirms it, once."""
    opinion = access.get_visible_or_404(
        request.user,
        DiscussionOpinion.objects.select_related("discussion", "attendee"),
        action=CasePerms.CONFIRM_OPINION,
        request=request,
        pk=opinion_id,
    )
    return confirm_opinion(request.user, opinion, text=payload.text, request=request)


# --- the decision (Art. 59) and the simple procedure (Art. 51, 52) ----------------------


class DecisionOut(Schema):
    id: int
    case_id: int
    number: str = Field(description="the decision's 罚 number")
    penalty_kinds: list[str]
    fine_fen: int
    facts: str
    basis: str
    decided_by: str = Field(description="username")
    decided_at: dt.datetime

    @staticmethod
    def resolve_decided_by(decision: Decision) -> str:
        return username(decision.decided_by)


class DecisionIn(Schema):
    penalty_kinds: list[PenaltyKind] = Field(default_factory=list)
    fine_fen: int = Field(0, description="in fen; at most the notified fine")
    facts: str = ""
    basis: str = Field("", description="the legal basis")


@router.get(
    "/cases/{case_id}/decision",
    response={200: DecisionOut, **ERRORS_404},
    summary="The case's penalty decision (404 while there is none)",
)
def get_decision(request: AuthenticatedRequest, case_id: int) -> Decision:
    case = _case(request, case_id)
    try:
        return case.decision
    except Decision.DoesNotExist as exc:
        raise Http404 from exc


@router.post(
    "/cases/{case_id}/decision",
    response={201: DecisionOut, **ERRORS_404},
    summary="Record the penalty decision (422 with every reason it may not be made yet)",
)
def create_decision(request: AuthenticatedRequest, case_id: int, payload: DecisionIn) -> Status:
    """Needs the review and decision stage, the advance notice (not exceeded), legal review
    and collective discussion where required, and the approved ``decision`` step."""
    case = _case(request, case_id)
    decision = record_decision(
        request.user,
        case,
        penalty_kinds=payload.penalty_kinds,
        fine_fen=payload.fine_fen,
        facts=payload.facts,
        basis=payload.basis,
        request=request,
    )
    return Status(201, decision)


class OnTheSpotIn(Schema):
    subject_id: int = Field(description="the party (an enforcement subject you may see)")
    penalty_kind: PenaltyKind = Field(description="warning or fine; anything else is refused")
    amount_fen: int = Field(0, description="the fine in fen (¥200 person / ¥3,000 organisation)")
    facts: str = ""
    basis: str = ""
    field: str = Field(description="执法领域 for the number, e.g. 农药")
    officers: list[str] = Field(
        default_factory=list,
        description="usernames of the other officers present: with you, at least "
        "min_officers_on_site holding a certificate valid on the day (Art. 42, 52)",
    )
    place: str = Field("", description="where the penalty was imposed (the activity's place)")
    started_at: dt.datetime | None = Field(
        None, description="when the act on the spot began; now when left out"
    )
    gps: list[float] | None = Field(None, description="[latitude, longitude], optional")


class OnTheSpotOut(Schema):
    case_id: int
    case_number: str
    procedure: str
    stage: str
    simple_filing_due: dt.date | None = Field(description="备案 due (Art. 52)")
    decision: DecisionOut


@router.post(
    "/on-the-spot",
    response={201: OnTheSpotOut, **ERRORS},
    summary="Impose an on-the-spot penalty 当场处罚 (simple procedure)",
)
def on_the_spot(request: AuthenticatedRequest, payload: OnTheSpotIn) -> Status:
    """A warning or a fine within Art. 51; above it the ordinary procedure is required (422).
    The case is opened in your unit with its pre-numbered decision."""
    actor = request.user
    unit = actor.unit
    # Refused before the body is looked at: subject ids and usernames are not probed.
    access.require(actor, CasePerms.CREATE, unit, request=request)
    subject = access.visible(actor, Subject.objects.filter(pk=payload.subject_id)).first()
    if subject is None:
        raise ValidationError({"subject_id": [_("Unknown party.")]})
    officers = users_named(
        payload.officers,
        access.visible(actor, User.objects.all()),
        field="officers",
        unknown_message=_("Unknown officer: %(name)s"),
    )
    case = decide_on_the_spot(
        actor,
        unit=unit,  # type: ignore[arg-type]  # allowed above, so the caller has a unit
        subject=subject,
        officers=officers,
        penalty_kind=payload.penalty_kind,
        amount_fen=payload.amount_fen,
        facts=payload.facts,
        basis=payload.basis,
        field=payload.field,
        place=payload.place,
        started_at=payload.started_at,
        gps=payload.gps,
        request=request,
    )
    decision = case.decision
    return Status(
        201,
        {
            "case_id": case.pk,
            "case_number": case.number,
            "procedure": case.procedure,
            "stage": case.stage,
            "simple_filing_due": case.simple_filing_due,
            "decision": decision,
        },
    )


@router.post(
    "/cases/{case_id}/simple-filing",
    response={200: WorkflowOut, **ERRORS_404},
    summary="Record the 备案 of an on-the-spot decision with the agency (Art. 52)",
)
def simple_filing(request: AuthenticatedRequest, case_id: int) -> dict[str, Any]:
    case = _case(request, case_id)
    file_simple_case(request.user, case, request=request)
    return _workflow(request, case)
