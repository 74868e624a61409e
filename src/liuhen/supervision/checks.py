"""Compliance is computed, not typed (architecture rule 4).

One function per check, each tagged with the article it enforces, whether it blocks and
which stage it blocks. The workflow asks :func:`blocking_findings` before a stage closes;
the case page, dashboards and ledgers show :func:`findings_for_case`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from liuhen.cases.models import ClosingCondition, Procedure, Stage

if TYPE_CHECKING:
    from liuhen.activities.models import Activity
    from liuhen.cases.models import Case

STAGE_ORDER = list(Stage.values)


@dataclass(frozen=True)
class Finding:
    code: str
    article: str  # the requirement it enforces, e.g. "R5.2"
    message: str | Promise  # for people, zh-Hans on screen
    blocking: bool
    object: Any  # the activity or case the finding is about
    stage: str  # the stage it belongs to: a blocking finding stops this stage closing

    @property
    def stage_label(self) -> str:
        return str(dict(Stage.choices).get(self.stage, self.stage))


CheckFn = Callable[["Case"], Iterator[Finding]]


@dataclass(frozen=True)
class Check:
    code: str
    article: str
    blocking: bool
    func: CheckFn


_CHECKS: dict[str, Check] = {}


def check(code: str, *, article: str, blocking: bool) -> Callable[[CheckFn], CheckFn]:
    """Register a check: ``func(case)`` yields its findings."""

    def add(func: CheckFn) -> CheckFn:
        if code in _CHECKS:
            raise RuntimeError(f"check {code!r} registered twice")
        _CHECKS[code] = Check(code, article, blocking, func)
        return func

    return add


def registered() -> list[Check]:
    return list(_CHECKS.values())


def findings_for_case(case: Case) -> list[Finding]:
    """Every finding about ``case``, blocking ones first, in stage order."""
    found = [finding for item in _CHECKS.values() for finding in item.func(case)]
    return sorted(found, key=lambda f: (not f.blocking, _stage_index(f.stage), f.code))


def blocking_findings(case: Case, stage: str) -> list[Finding]:
    """The findings that stop ``stage`` of ``case`` from closing, with their reasons."""
    return [f for f in findings_for_case(case) if f.blocking and f.stage == stage]


def _stage_index(stage: str) -> int:
    return STAGE_ORDER.index(stage) if stage in STAGE_ORDER else len(STAGE_ORDER)


def _finding(code: str, message: str | Promise, obj: Any, stage: str) -> Finding:
    item = _CHECKS[code]
    return Finding(code, item.article, message, item.blocking, obj, stage)


# --- activities ---------------------------------------------------------------------


def _activities(case: Case) -> list[Activity]:
    from liuhen.activities.models import Activity

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
    return max(stage, Stage.INVESTIGATION, key=_stage_index)


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
    from liuhen.activities.av import linked_av_count

    for activity in _activities(case):
        if not activity.type.needs_av or has_approved_exemption(activity):
            continue
        if linked_av_count(activity) == 0:
            message = _(
                "%(activity)s on %(time)s needs an AV record: none is linked and no "
                "exemption is approved by the unit head."
            ) % _describe(activity)
            yield _finding("av_missing", message, activity, _activity_stage(activity))


@check("officers_uncertified", article="R4.2", blocking=True)
def _officers_uncertified(case: Case) -> Iterator[Finding]:
    """R4.2 (行政处罚法 Art. 42): fewer than two officers with a valid certificate on site.

    Judged on today's certificate records: a certificate revoked after the act, or an
    imported activity, shows up here.
    """
    from liuhen.activities.actions import MIN_OFFICERS_ON_SITE

    for activity in _activities(case):
        if not activity.needs_two_officers:
            continue
        day = activity.date
        certified = sum(
            1
            for presence in activity.presences.all()
            if any(c.is_valid_on(day) for c in presence.officer.certificates.all())
        )
        if certified < MIN_OFFICERS_ON_SITE:
            message = _(
                "%(activity)s on %(time)s had %(count)d officer(s) with a valid enforcement "
                "certificate; at least 2 are required."
            ) % {**_describe(activity), "count": certified}
            yield _finding("officers_uncertified", message, activity, _activity_stage(activity))


# --- approvals, rights, discussion (the workflow's records) ---------------------------


@check("urgent_paperwork_overdue", article="R7.2", blocking=False)
def _urgent_paperwork_overdue(case: Case) -> Iterator[Finding]:
    """R7.2: after an urgent start, the approval paperwork is overdue (flagged, counted)."""
    from liuhen.cases.approvals import step_label

    today = timezone.localdate()
    for item in case.approval_requests.filter(urgent_started_at__isnull=False):
        if item.is_overdue(today):
            message = _(
                "Paperwork for the urgently started step “%(step)s” was due on %(due)s and is "
                "not approved."
            ) % {"step": step_label(item.step), "due": str(item.paperwork_due)}
            yield _finding("urgent_paperwork_overdue", message, item, case.stage)


def _at_or_after(case: Case, stage: str) -> bool:
    return _stage_index(case.stage) >= _stage_index(stage)


def _simple_procedure(case: Case) -> bool:
    return case.procedure == Procedure.SIMPLE


@check("advance_notice_missing", article="R8.1", blocking=True)
def _advance_notice_missing(case: Case) -> Iterator[Finding]:
    """R8.1: the rights notice is recorded before a decision (oral notice under the simple
    procedure excepted)."""
    if _simple_procedure(case) or not _at_or_after(case, Stage.DECISION):
        return
    if case.closing_condition in (ClosingCondition.NO_PENALTY, ClosingCondition.REVOKED):
        return  # Art. 44 precedes a penalty; none is imposed
    if not case.advance_notices.exists():
        message = _(
            "No advance notice 行政处罚事先告知 is recorded: the party must be told of the "
            "rights to state, defend, request withdrawal and request a hearing before the "
            "decision."
        )
        yield _finding("advance_notice_missing", message, case, Stage.DECISION)


@check("collective_discussion_missing", article="R7.3", blocking=True)
def _collective_discussion_missing(case: Case) -> Iterator[Finding]:
    """R7.3 (行政处罚法 Art. 57): a complex or serious case, or one whose proposed penalty
    is on the configured list, is decided by collective discussion, with its record."""
    from liuhen.cases.decisions import needs_collective_discussion

    if not _at_or_after(case, Stage.DECISION) or not needs_collective_discussion(case):
        return
    if not case.discussions.exists():
        message = _(
            "The case is marked complex or serious, or the proposed penalty is one decided "
            "collectively: a collective discussion record is required before the decision."
        )
        yield _finding("collective_discussion_missing", message, case, Stage.DECISION)


@check("expert_record_missing", article="R7.4", blocking=True)
def _expert_record_missing(case: Case) -> Iterator[Finding]:
    """R7.4: where experts or legal advisers took part in a discussion or an approval,
    their minutes 会议纪要 or written opinion is kept. The actions refuse a record without
    it; this finds any that came in another way (imports, older data)."""
    from liuhen.cases.models import Approval

    for discussion in case.discussions.exclude(experts="").filter(expert_opinion=""):
        message = _(
            "Experts or legal advisers took part in the collective discussion of %(day)s, "
            "but their minutes or written opinion is not attached."
        ) % {"day": timezone.localtime(discussion.held_at).date().isoformat()}
        yield _finding("expert_record_missing", message, discussion, Stage.DECISION)
    approvals = Approval.objects.filter(request__case=case).exclude(experts="")
    for approval in approvals.filter(expert_opinion=""):
        message = _(
            "Experts or legal advisers took part in an approval of %(day)s, but their "
            "minutes or written opinion is not attached."
        ) % {"day": timezone.localtime(approval.signed_at).date().isoformat()}
        yield _finding("expert_record_missing", message, approval, case.stage)
