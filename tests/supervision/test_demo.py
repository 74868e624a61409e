"""seed-demo gives the supervisor work to look at (R22.2–R22.5, R23.1): a finished spot
check with a missing Art. 13 item, a replayed complaint, a scored case file, an open
rectification order from the spot check's finding and a unit on the 督办 list — made
through the actions, and once."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from liuhen.accounts.models import User
from liuhen.activities.models import Activity
from liuhen.core.models import AuditEvent
from liuhen.media.links import current_links
from liuhen.media.models import AvRecord
from liuhen.supervision import demo
from liuhen.supervision.coverage.activities import coverages
from liuhen.supervision.models import (
    AccountabilityRecord,
    Answer,
    CaseReview,
    Complaint,
    ComplaintReplay,
    FiguresRefresh,
    Finding,
    GuidanceEntry,
    RectificationOrder,
    SpotCheckItem,
    SpotCheckPlan,
    SpotCheckReview,
)
from liuhen.web import demo as web_demo

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("docs_storage")]

SUPERVISION_TABLES = (
    Activity,
    AccountabilityRecord,
    SpotCheckPlan,
    SpotCheckReview,
    Finding,
    Complaint,
    ComplaintReplay,
    CaseReview,
    RectificationOrder,
    GuidanceEntry,
    FiguresRefresh,
)


def linked_records(activity: Activity) -> list[int]:
    return list(current_links().filter(activity=activity).values_list("record_id", flat=True))


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in SUPERVISION_TABLES}


def test_seed_demo_holds_the_supervisors_work_once() -> None:
    call_command("seed_demo")
    unit_name = web_demo.UNITS[0]

    # A finished spot check: every sampled record reviewed, one item found not filmed.
    plan = SpotCheckPlan.objects.get(title=demo.SPOT_CHECK_TITLE)
    items = SpotCheckItem.objects.filter(sample__plan=plan)
    assert items.count() >= 1
    assert all(hasattr(item, "review") for item in items)
    review = SpotCheckReview.objects.get(item__sample__plan=plan)
    assert review.answers[demo.MISSING_ITEM] == Answer.MISSING and not review.passed
    [finding] = Finding.objects.filter(kind="spot_check_item_missing")
    assert finding.unit.name == unit_name and finding.article == "R13.2"

    # The complaint, linked to the officer's clip and replayed.
    complaint = Complaint.objects.get(summary=demo.COMPLAINT_SUMMARY)
    [footage] = complaint.footage.all()
    assert footage.record.officer.username == demo.OFFICER
    assert complaint.replay.outcome == "not_substantiated"

    # The archived demo case's file scored with the checklist.
    scored = CaseReview.objects.get()
    assert scored.case.archived_at is not None
    assert scored.total == 100 - sum(m.deduction for m in demo.REVIEW_MARKS.values())

    # An open rectification order from the spot check's finding, due in the future.
    order = RectificationOrder.objects.get()
    assert list(order.findings.all()) == [finding]
    assert order.unit.name == unit_name and order.responsible.username == demo.UNIT_HEAD
    assert order.deadline > timezone.localdate() and not hasattr(order, "verification")

    # The inspection the recordings were taken at: its coverage has a gap.
    activity = Activity.objects.get(case__number=demo.INSPECTED_CASE)
    assert set(linked_records(activity)) == set(AvRecord.objects.values_list("pk", flat=True))
    [covered] = coverages(Activity.objects.filter(pk=activity.pk))
    assert 0 < covered.coverage.share < 1 and covered.coverage.gaps

    # The officer's accountability record rests on the same finding.
    record = AccountabilityRecord.objects.get()
    assert record.person.username == demo.OFFICER and list(record.findings.all()) == [finding]

    # The unit on the 督办 list, and the dashboard's figures counted.
    entry = GuidanceEntry.objects.get()
    assert entry.unit.name == unit_name and entry.reason == demo.GUIDANCE_REASON
    assert FiguresRefresh.objects.exists()

    supervisor = User.objects.get(username=demo.SUPERVISOR)
    # Made by the demo supervisor through the actions: each step audited as theirs.
    by_supervisor = set(
        AuditEvent.objects.filter(actor_id=str(supervisor.pk)).values_list("action", flat=True)
    )
    assert {
        "spot_check.plan",
        "spot_check.draw",
        "spot_check.review",
        "complaint.record",
        "complaint.replay",
        "case_review.score",
        "rectification.order",
        "guidance.list_unit",
    } <= by_supervisor

    before, events = counts(), AuditEvent.objects.count()
    call_command("seed_demo")
    assert counts() == before
    assert AuditEvent.objects.count() == events
