"""The checks on a case's activities and workflow records: compliance is computed, not typed.

One function per check, each tagged with the article it enforces, whether it blocks and
which stage it blocks (``cases.compliance``); registered by ``SupervisionConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liuhen.accounts.models import Role
from liuhen.activities.actions import SEIZURE, min_officers_on_site
from liuhen.activities.av import linked_av_count
from liuhen.activities.models import Activity
from liuhen.cases.approvals import step_label
from liuhen.cases.compliance import Finding, at_or_after, check, finding, stage_index
from liuhen.cases.decisions import needs_collective_discussion
from liuhen.cases.models import Approval, ApprovalStatus, ClosingCondition, Procedure, Stage
from liuhen.documents.models import IssuedDocument

if TYPE_CHECKING:
    from liuhen.cases.models import Case

# The form that lifts a seizure (行政强制法 Art. 28).
SEIZURE_RELEASE_FORM = "seizure_release_decision"

# --- activities ---------------------------------------------------------------------


def _activities(case: Case) -> list[Activity]:
    return list(
        Activity.objects.filter(case=case)
        .select_related("type")
        .prefetch_related("presences__officer__certificates", "av_exemptions__approval")
        .order_by("started_at", "id")
    )


def _activity_stage(activity: Activity) -> str:
    # An act before filing is still judged when the investigation closes: its AV comes
    # back from the recorder afterwards.
    stage = activity.stage or Stage.INVESTIGATION
    return max(stage, Stage.INVESTIGATION, key=stage_index)


def _describe(activity: Activity) -> dict[str, str]:
    return {
        "activity": activity.type.name,
        "time": f"{timezone.localtime(activity.started_at):%Y-%m-%d %H:%M}",
    }


def has_approved_exemption(activity: Activity) -> bool:
    # R5.2, R7.1: its approval request went through the whole chain.
    return any(exemption.approved for exemption in activity.av_exemptions.all())


@check("av_missing", article="R5.2", blocking=True)
def _av_missing(case: Case) -> Iterator[Finding]:
    """R5.2: an activity of a type that needs AV, with no AV linked and no approved exemption."""
    for activity in _activities(case):
        if not activity.type.needs_av or has_approved_exemption(activity):
            continue
        if linked_av_count(activity) == 0:
            message = _(
                "%(activity)s on %(time)s needs an AV record: none is linked and no "
                "exemption is approved by the unit head."
            ) % _describe(activity)
            yield finding("av_missing", message, activity, _activity_stage(activity))


@check("officers_uncertified", article="R4.2", blocking=True)
def _officers_uncertified(case: Case) -> Iterator[Finding]:
    """R4.2 (行政处罚法 Art. 42): fewer certified officers on site than the rule asks (two).

    Judged on today's certificate records: a certificate revoked after the act, or an
    imported activity, shows up here.
    """
    for activity in _activities(case):
        if not activity.needs_two_officers:
            continue
        day = activity.date
        certified = sum(
            1
            for presence in activity.presences.all()
            if any(c.is_valid_on(day) for c in presence.officer.certificates.all())
        )
        minimum = min_officers_on_site()
        if certified < minimum:
            message = _(
                "%(activity)s on %(time)s had %(count)d officer(s) with a valid enforcement "
                "certificate; at least %(min)d are required."
            ) % {**_describe(activity), "count": certified, "min": minimum}
            yield finding("officers_uncertified", message, activity, _activity_stage(activity))


# --- approvals, rights, discussion (the workflow's records) ---------------------------


@check("urgent_paperwork_overdue", article="R7.2", blocking=False)
def _urgent_paperwork_overdue(case: Case) -> Iterator[Finding]:
    """R7.2: after an urgent start, the approval paperwork is overdue (flagged, counted)."""
    today = timezone.localdate()
    # Steps counted in hours are the check "urgent_report_late"'s.
    urgent = case.approval_requests.filter(urgent_started_at__isnull=False)
    for item in urgent.filter(report_due_at__isnull=True):
        if item.is_overdue(today):
            message = _(
                "Paperwork for the urgently started step “%(step)s” was due on %(due)s and is "
                "not approved."
            ) % {"step": step_label(item.step), "due": str(item.paperwork_due)}
            yield finding("urgent_paperwork_overdue", message, item, case.stage)


@check("urgent_report_late", article="R7.2", blocking=False)
def _urgent_report_late(case: Case) -> Iterator[Finding]:
    """A seizure (行政强制法 Art. 19) or an advance preservation (农业行政处罚程序规定) carried
    out before approval because it was urgent is reported to the head and approved within
    24 hours (the rules ``urgent_seizure_report_hours``, ``urgent_preservation_report_hours``):
    found when the hour passed without approval, or the approval came after it."""
    now = timezone.now()
    urgent = case.approval_requests.filter(
        urgent_started_at__isnull=False, report_due_at__isnull=False
    )
    for item in urgent.order_by("urgent_started_at", "id"):
        assert item.report_due_at is not None
        values = {
            "step": step_label(item.step),
            "due": f"{timezone.localtime(item.report_due_at):%Y-%m-%d %H:%M}",
        }
        if item.approved_late:
            assert item.decided_at is not None
            values["approved"] = f"{timezone.localtime(item.decided_at):%Y-%m-%d %H:%M}"
            message = (
                _(
                    "“%(step)s” was carried out urgently before approval: the head's approval "
                    "was due by %(due)s and came only at %(approved)s."
                )
                % values
            )
        elif item.status != ApprovalStatus.APPROVED and now > item.report_due_at:
            message = (
                _(
                    "“%(step)s” was carried out urgently before approval: the head's approval "
                    "was due by %(due)s and has not been given."
                )
                % values
            )
        else:
            continue
        yield finding("urgent_report_late", message, item, case.stage)


@check("urgent_seizure_not_lifted", article="R7.2", blocking=True)
def _urgent_seizure_not_lifted(case: Case) -> Iterator[Finding]:
    """行政强制法 Art. 19: the head did not approve a seizure carried out urgently: it is
    lifted at once — a 解除查封（扣押）决定书 is issued."""
    refused = case.approval_requests.filter(
        step=SEIZURE, urgent_started_at__isnull=False, status=ApprovalStatus.REJECTED
    )
    if not refused.exists():
        return
    if IssuedDocument.objects.filter(case=case, form_code=SEIZURE_RELEASE_FORM).exists():
        return
    message = _(
        "The head did not approve the seizure or detention carried out urgently: it must be "
        "lifted at once with a decision to lift it (解除查封（扣押）决定书)."
    )
    yield finding("urgent_seizure_not_lifted", message, case, case.stage)


def _simple_procedure(case: Case) -> bool:
    return case.procedure == Procedure.SIMPLE


@check("advance_notice_missing", article="R8.1", blocking=True)
def _advance_notice_missing(case: Case) -> Iterator[Finding]:
    """R8.1: the rights notice is recorded before a decision (oral notice under the simple
    procedure excepted)."""
    if _simple_procedure(case) or not at_or_after(case, Stage.DECISION):
        return
    if case.closing_condition in (ClosingCondition.NO_PENALTY, ClosingCondition.REVOKED):
        return  # Art. 44 precedes a penalty; none is imposed
    if not case.advance_notices.exists():
        message = _(
            "No advance notice 行政处罚事先告知 is recorded: the party must be told of the "
            "rights to state, defend, request withdrawal and request a hearing before the "
            "decision."
        )
        yield finding("advance_notice_missing", message, case, Stage.DECISION)


@check("collective_discussion_missing", article="R7.3", blocking=True)
def _collective_discussion_missing(case: Case) -> Iterator[Finding]:
    """R7.3 (行政处罚法 Art. 57): a complex or serious case, or one whose proposed penalty
    is on the configured list, is decided by collective discussion of the agency's heads,
    with its record naming the agency head among the attendees."""
    if not at_or_after(case, Stage.DECISION) or not needs_collective_discussion(case):
        return
    if not case.discussions.exists():
        message = _(
            "The case is marked complex or serious, or the proposed penalty is one decided "
            "collectively: a collective discussion record is required before the decision."
        )
        yield finding("collective_discussion_missing", message, case, Stage.DECISION)
    elif not case.discussions.filter(attendees__role_grants__role=Role.AGENCY_HEAD).exists():
        # Art. 57: decided by the agency's heads. The action refuses such a record; this
        # finds one that came in another way (imports, older data).
        message = _(
            "No agency head attended the collective discussion: the agency's heads decide "
            "(Administrative Penalty Law Art. 57)."
        )
        yield finding("collective_discussion_missing", message, case, Stage.DECISION)


@check("expert_record_missing", article="R7.4", blocking=True)
def _expert_record_missing(case: Case) -> Iterator[Finding]:
    """R7.4: where experts or legal advisers took part in a discussion or an approval,
    their minutes 会议纪要 or written opinion is kept. The actions refuse a record without
    it; this finds any that came in another way (imports, older data)."""
    for discussion in case.discussions.exclude(experts="").filter(expert_opinion=""):
        message = _(
            "Experts or legal advisers took part in the collective discussion of %(day)s, "
            "but their minutes or written opinion is not attached."
        ) % {"day": timezone.localtime(discussion.held_at).date().isoformat()}
        yield finding("expert_record_missing", message, discussion, Stage.DECISION)
    approvals = Approval.objects.filter(request__case=case).exclude(experts="")
    for approval in approvals.filter(expert_opinion=""):
        message = _(
            "Experts or legal advisers took part in an approval of %(day)s, but their "
            "minutes or written opinion is not attached."
        ) % {"day": timezone.localtime(approval.signed_at).date().isoformat()}
        yield finding("expert_record_missing", message, approval, case.stage)


CHECKS = (
    _av_missing,
    _officers_uncertified,
    _urgent_paperwork_overdue,
    _urgent_report_late,
    _urgent_seizure_not_lifted,
    _advance_notice_missing,
    _collective_discussion_missing,
    _expert_record_missing,
)
