"""The supervisor's demo for ``liuhen seed-demo`` (R22.1–R22.5, R23.1): a finished spot
check of the demo recordings with one Art. 13 item found missing, a complaint replayed
against its footage, the archived demo case's file scored (案卷评查), an open
rectification order raised from the spot check's finding, and the unit on the 重点督办
list — so the supervisor's pages show work, not empty tables.

Everything goes through the actions as the demo's supervisor; each part is looked up
first, so running the seed again adds nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from liuhen.accounts.models import Unit, User
from liuhen.activities.actions import record_activity
from liuhen.activities.models import ActivityType
from liuhen.cases.models import Case
from liuhen.core import rules
from liuhen.core.audit import SYSTEM
from liuhen.media.actions import curation
from liuhen.media.links import current_links
from liuhen.media.models import AvRecord
from liuhen.supervision.actions import (
    accountability,
    complaints,
    guidance,
    rectification,
    reviews,
    spot_checks,
)
from liuhen.supervision.actions.statistics import refresh_figures
from liuhen.supervision.law import RECTIFICATION_PERIOD
from liuhen.supervision.models import (
    AccountabilityRecord,
    Answer,
    Complaint,
    ComplaintChannel,
    FiguresRefresh,
    Finding,
    PlanPeriod,
    RectificationOrder,
    ReplayOutcome,
    ReviewPlan,
    SpotCheckPlan,
)
from liuhen.supervision.rectification.guidance import under_guidance
from liuhen.supervision.reviews.marks import Mark
from liuhen.supervision.spot_checks import checklist
from liuhen.supervision.spot_checks.population import linked_activity

SUPERVISOR = "jiandu"
UNIT_HEAD = "zhangwei"
OFFICER = "wangming"
# The demo case the officer's recordings were taken in (``web.demo.CASES``).
INSPECTED_CASE = "洼农（农药）立〔2026〕1号"

SPOT_CHECK_TITLE = "执法记录仪音像资料月度抽查（演示）"
# The Art. 13 item the reviewer finds not filmed, and those the footage shows.
MISSING_ITEM = "rights_documents"
FILMED_ITEMS = frozenset({"scene", "people_goods", "violation"})
COMPLAINT_SUMMARY = "反映执法人员在农资店检查时未出示执法证件"
REVIEW_PLAN_TITLE = "年度行政处罚案卷评查（演示）"
REVIEW_MARKS = {
    "filing_timely": Mark(Decimal(2), note="受案登记至立案审批间隔超过规定期限"),
    "closing_report": Mark(Decimal(1), note="结案报告未载明罚没款缴纳凭证编号"),
}
RECTIFICATION_REQUIREMENT = (
    "对照《执法全过程记录制度》第十三条，补强现场告知权利、出示文书环节的音像记录，"
    "组织执法记录仪规范使用培训，并提交整改报告。"
)
GUIDANCE_REASON = "音像记录抽查发现应记录事项缺失，列入重点指导督办。"
ACCOUNTABILITY_DOCUMENT = "洼农监〔2026〕1号"
GUIDANCE_PLAN = "每月抽查该科室执法记录仪音像资料不少于五条，跟踪整改落实情况。"


def seed_supervision(unit: Unit) -> dict[str, bool]:
    """Make each part of the supervisor's demo that is missing; which parts were made."""
    supervisor = User.objects.filter(username=SUPERVISOR).first()
    if supervisor is None:
        return {}
    activity = _activity(unit)
    finding = _spot_check(supervisor, unit)
    return {
        "activity": activity,
        "spot_check": finding is not None,
        "complaint": _complaint(supervisor, unit),
        "case_review": _case_review(supervisor),
        "rectification": _rectification(supervisor, unit),
        "guidance": _guidance(supervisor, unit),
        "accountability": _accountability(supervisor, unit),
        "statistics": _statistics(),
    }


def _activity(unit: Unit) -> bool:
    """The inspection the demo recordings were taken at, recorded by the officer with the
    case's second officer and the recordings linked: its AV coverage shows on the
    coverage page (the clip covers a few seconds of it)."""
    officer = User.objects.filter(username=OFFICER).first()
    case = Case.objects.filter(number=INSPECTED_CASE).first()
    kind = ActivityType.objects.filter(code="inspection").first()
    records = list(AvRecord.objects.filter(unit=unit, officer=officer).order_by("pk"))
    if officer is None or case is None or kind is None or not records:
        return False
    if current_links().filter(record__in=records, activity__isnull=False).exists():
        return False
    taken = records[0].captured_at or records[0].uploaded_at
    party = case.parties.select_related("subject").order_by("pk").first()
    activity = record_activity(
        officer,
        case=case,
        type=kind,
        started_at=taken - dt.timedelta(minutes=2),
        ended_at=taken + dt.timedelta(minutes=8),
        place="大洼区西安镇某农资店",
        officers=case.officers.all(),
        party=party.subject if party is not None else None,
    )
    for record in records:
        curation.link(officer, record, activity=activity)
    return True


def _spot_check(supervisor: User, unit: Unit) -> Finding | None:
    """This month's plan of ``unit``'s footage, one record drawn and reviewed, with the
    rights-and-documents item of Art. 13 found not filmed."""
    if SpotCheckPlan.objects.filter(title=SPOT_CHECK_TITLE).exists():
        return None
    first = AvRecord.objects.filter(unit=unit).order_by("pk").first()
    if first is None:
        return None
    taken = first.captured_at or first.uploaded_at
    plan = spot_checks.create_plan(
        supervisor,
        title=SPOT_CHECK_TITLE,
        period=PlanPeriod.MONTHLY,
        period_start=timezone.localdate(taken),
        units=[unit],
        sample_count=1,
    )
    spot_checks.draw_sample(supervisor, plan)
    found = None
    for sample in plan.samples.all():
        for item in sample.items.select_related("record"):
            activity = linked_activity(item.record)
            items = checklist.items_for(activity.type.code if activity is not None else "")
            answers = {entry.code: _answer(entry.code) for entry in items}
            review = spot_checks.review_record(
                supervisor,
                item,
                answers=answers,
                comment="未拍摄到向当事人告知权利、出示执法文书的画面。",
            )
            found = Finding.objects.filter(
                dedupe_key__startswith=f"spot_check:{review.pk}:"
            ).first()
    return found


def _answer(code: str) -> str:
    if code == MISSING_ITEM:
        return Answer.MISSING
    return Answer.FILMED if code in FILMED_ITEMS else Answer.NOT_APPLICABLE


def _complaint(supervisor: User, unit: Unit) -> bool:
    """A hotline complaint about the demo officer, its footage confirmed and replayed."""
    if Complaint.objects.filter(summary=COMPLAINT_SUMMARY).exists():
        return False
    officer = User.objects.filter(username=OFFICER).first()
    clip = AvRecord.objects.filter(unit=unit, officer=officer, kind="video").order_by("pk").first()
    if officer is None or clip is None:
        return False
    taken = clip.captured_at or clip.uploaded_at
    complaint = complaints.record_complaint(
        supervisor,
        channel=ComplaintChannel.HOTLINE,
        complainant="王某",
        received_at=min(timezone.now(), taken + dt.timedelta(hours=1)),
        occurred_from=taken - dt.timedelta(minutes=30),
        occurred_to=taken + dt.timedelta(minutes=30),
        place="大洼区西安镇某农资店",
        summary=COMPLAINT_SUMMARY,
        officers=[officer],
        unit=unit,
    )
    complaints.confirm_footage(supervisor, complaint, [clip], suggested=[clip.pk])
    complaints.record_replay(
        supervisor,
        complaint,
        outcome=ReplayOutcome.NOT_SUBSTANTIATED,
        notes="回放显示执法人员进门即出示执法证件并表明身份，投诉反映情况不属实。",
    )
    return True


def _case_review(supervisor: User) -> bool:
    """The archived demo case's file, assigned to the supervisor and scored."""
    if ReviewPlan.objects.filter(title=REVIEW_PLAN_TITLE).exists():
        return False
    case = Case.objects.filter(archived_at__isnull=False).order_by("pk").first()
    if case is None:
        return False
    plan = reviews.create_plan(
        supervisor,
        title=REVIEW_PLAN_TITLE,
        period=f"{timezone.localdate().year}年",
        notes="抽取已归档行政处罚案卷，按评查标准逐项评分。",
    )
    assignment = reviews.assign_case(supervisor, plan, case=case, reviewer=supervisor)
    reviews.score_case(
        supervisor, assignment, marks=REVIEW_MARKS, notes="案卷材料基本齐全，文书制作较规范。"
    )
    return True


def _rectification(supervisor: User, unit: Unit) -> bool:
    """An order to the unit from the spot check's open finding, its head answering for it."""
    if RectificationOrder.objects.filter(requirement=RECTIFICATION_REQUIREMENT).exists():
        return False
    head = User.objects.filter(username=UNIT_HEAD).first()
    finding = (
        Finding.objects.filter(kind=spot_checks.ITEM_MISSING, unit=unit, closure__isnull=True)
        .order_by("pk")
        .first()
    )
    if head is None or finding is None:
        return False
    days = int(rules.value(RECTIFICATION_PERIOD))
    rectification.order_rectification(
        supervisor,
        unit=unit,
        responsible=head,
        requirement=RECTIFICATION_REQUIREMENT,
        deadline=timezone.localdate() + dt.timedelta(days=days),
        findings=[finding],
    )
    return True


def _guidance(supervisor: User, unit: Unit) -> bool:
    if under_guidance(unit):
        return False
    guidance.list_unit_for_guidance(supervisor, unit, reason=GUIDANCE_REASON, plan=GUIDANCE_PLAN)
    return True


def _accountability(supervisor: User, unit: Unit) -> bool:
    """The officer's 责任追究 record resting on the spot check's finding."""
    if AccountabilityRecord.objects.filter(decision_document=ACCOUNTABILITY_DOCUMENT).exists():
        return False
    officer = User.objects.filter(username=OFFICER).first()
    finding = (
        Finding.objects.filter(kind=spot_checks.ITEM_MISSING, unit=unit).order_by("pk").first()
    )
    if officer is None or finding is None:
        return False
    accountability.record_accountability(
        supervisor,
        unit=unit,
        person=officer,
        facts="现场检查时未按规定对告知权利、出示执法文书环节进行音像记录。",
        rule="《执法全过程记录制度》第十三条",
        decision="批评教育，责令作出书面检查。",
        decision_document=ACCOUNTABILITY_DOCUMENT,
        decided_on=timezone.localdate(),
        findings=[finding],
    )
    return True


def _statistics() -> bool:
    """The dashboard's figures counted once, as the scheduler would, so it opens drawn."""
    if FiguresRefresh.objects.exists():
        return False
    refresh_figures(SYSTEM)
    return True
