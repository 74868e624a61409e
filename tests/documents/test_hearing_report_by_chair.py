"""The hearing report 听证会报告书 is written by the hearing's chair (农业行政处罚程序规定), who
is never an investigator of the case (行政处罚法 Art. 64(4)): once the hearing is held its
chair drafts, fills and submits that one form, and finds it in 我的待办; an officer of the
same unit who neither chaired the hearing nor works the case may not, nor may the chair
start any other form or draft the report before the hearing is held."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from liuhen.accounts.models import Role, User
from liuhen.cases.actions import decisions as decision_actions
from liuhen.cases.actions import hearings as hearing_actions
from liuhen.cases.hearings import earliest_hearing_day
from liuhen.cases.models import Case, Hearing, Stage
from liuhen.core.access import AccessDenied
from liuhen.core.inbox import tasks_for
from liuhen.documents.actions import approval, drafting
from liuhen.documents.models import Document, DocumentStatus
from tests.documents.signing_helpers import PARTY, make_party_case
from tests.factories import sign_in
from tests.fixtures.personas import make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("docs_storage")]

REPORT = "hearing_report"
REPORT_TITLE = "行政处罚听证会报告书"
REPORT_VALUES = {
    "summary": "听证会公开举行，当事人到场陈述申辩。",
    "disputes": "当事人认为处罚过重。",
    "opinion": "建议按告知内容作出处罚。",
}


@pytest.fixture
def officer_zhao(unit_a) -> User:
    """An officer of the case's unit who neither works the case nor chairs its hearing."""
    return make_person("zhaolei", "赵磊", [Role.OFFICER], unit_a)


@pytest.fixture
def scheduled_case(officer_wang, officer_ma, reviewer_sun, unit_a) -> Case:
    """王明 investigates; the party asked for a hearing, chaired by 马骏 (an officer of the
    unit who does not work the case) with 孙丽 as clerk; not yet held."""
    case = make_party_case(unit_a, [officer_wang])
    Case.objects.filter(pk=case.pk).update(stage=Stage.DECISION)
    case.refresh_from_db()
    notified = timezone.now() - dt.timedelta(days=30)
    notice = decision_actions.record_advance_notice(
        officer_wang,
        case,
        notified_at=notified,
        notified_to=PARTY,
        method="直接送达",
        penalty_kinds=["licence_revoke"],
        rights=["statement", "defence", "hearing"],
    )
    hearing = hearing_actions.request_hearing(
        officer_wang,
        notice,
        requested_at=notified + dt.timedelta(days=1),
        requested_by_party=PARTY,
        request_method="书面申请",
    )
    told = notified + dt.timedelta(days=1, hours=2)
    day = earliest_hearing_day(told)
    hearing_actions.schedule_hearing(
        officer_wang,
        hearing,
        scheduled_at=timezone.make_aware(dt.datetime(day.year, day.month, day.day, 9)),
        place="局听证室",
        chair=officer_ma,
        clerk=reviewer_sun,
        notified_at=told,
    )
    return case


@pytest.fixture
def case_after_hearing(scheduled_case, officer_ma) -> Case:
    hearing = Hearing.objects.get(case=scheduled_case)
    schedule = hearing.schedules.get()
    hearing_actions.record_hearing_held(
        officer_ma,
        hearing,
        held_at=schedule.scheduled_at + dt.timedelta(minutes=5),
        summary="当事人对违法事实无异议",
        outcome="建议按告知内容作出处罚",
    )
    return scheduled_case


def _new_url(case: Case, form: str = "") -> str:
    url = reverse("documents:new", args=[case.pk])
    return f"{url}?form={form}" if form else url


# --- the actions ---------------------------------------------------------------------------


def test_the_chair_drafts_fills_and_submits_the_report(case_after_hearing, officer_ma):
    document = drafting.create_draft(officer_ma, case_after_hearing, REPORT)
    assert document.data["chair"] == "马骏" and document.data["hearing_place"] == "局听证室"
    document = drafting.save_draft(officer_ma, document, {**document.data, **REPORT_VALUES})
    approval.submit_for_approval(officer_ma, document, note="请审批听证会报告书。")
    document.refresh_from_db()
    assert document.status == DocumentStatus.PENDING
    assert document.created_by == officer_ma


def test_another_officer_of_the_unit_may_not_draft_or_submit_it(
    case_after_hearing, officer_ma, officer_zhao
):
    with pytest.raises(AccessDenied):
        drafting.create_draft(officer_zhao, case_after_hearing, REPORT)
    document = drafting.create_draft(officer_ma, case_after_hearing, REPORT)
    with pytest.raises(AccessDenied):
        drafting.save_draft(officer_zhao, document, {**document.data, **REPORT_VALUES})
    document = drafting.save_draft(officer_ma, document, {**document.data, **REPORT_VALUES})
    with pytest.raises(AccessDenied):
        approval.submit_for_approval(officer_zhao, document)
    with pytest.raises(AccessDenied):
        drafting.discard_draft(officer_zhao, document)


def test_the_chair_starts_no_other_form(case_after_hearing, officer_ma):
    with pytest.raises(AccessDenied):
        drafting.create_draft(officer_ma, case_after_hearing, "hearing_transcript")
    with pytest.raises(AccessDenied):
        drafting.create_draft(officer_ma, case_after_hearing, "case_handling_opinion")


def test_the_chair_drafts_nothing_before_the_hearing_is_held(scheduled_case, officer_ma):
    with pytest.raises(AccessDenied):
        drafting.create_draft(officer_ma, scheduled_case, REPORT)


def test_the_investigator_still_drafts_the_report(case_after_hearing, officer_wang):
    document = drafting.create_draft(officer_wang, case_after_hearing, REPORT)
    assert document.form_code == REPORT


# --- the pages -------------------------------------------------------------------------------


def test_the_chair_is_offered_only_the_report_and_drafts_it_on_the_page(
    client, case_after_hearing, officer_ma
):
    sign_in(client, officer_ma)
    page = client.get(_new_url(case_after_hearing, REPORT))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="chosen-form"' in text and REPORT_TITLE in text
    assert 'value="hearing_report"' in text and 'value="hearing_transcript"' not in text
    # Paper scans are the case's officers' work: no link that would answer 403.
    assert 'data-testid="scan-link"' not in text
    created = client.post(_new_url(case_after_hearing), {"form": REPORT})
    assert created.status_code == 302
    document = Document.objects.get(case=case_after_hearing, form_code=REPORT)
    draft = client.get(created["Location"]).content.decode()
    assert 'data-testid="do-submit"' in draft and 'data-testid="do-issue"' not in draft
    case_page = client.get(reverse("cases:detail", args=[case_after_hearing.pk])).content.decode()
    assert 'value="hearing_report"' in case_page and 'value="hearing_transcript"' not in case_page
    refused = client.post(_new_url(case_after_hearing), {"form": "hearing_transcript"})
    assert refused.status_code == 403
    assert Document.objects.filter(case=case_after_hearing).get() == document


def test_another_officer_of_the_unit_gets_no_drafting_page(
    client, case_after_hearing, officer_zhao
):
    sign_in(client, officer_zhao)
    assert client.get(_new_url(case_after_hearing, REPORT)).status_code == 403
    assert client.post(_new_url(case_after_hearing), {"form": REPORT}).status_code == 403
    case_page = client.get(reverse("cases:detail", args=[case_after_hearing.pk])).content.decode()
    assert 'data-testid="new-document-form"' not in case_page


# --- 我的待办 -----------------------------------------------------------------------------------


def _report_tasks(user: User) -> list[Any]:
    return [task for task in tasks_for(user) if str(task.label) == "起草听证会报告书"]


def test_the_chair_finds_the_report_in_the_inbox_until_it_is_submitted(
    case_after_hearing, officer_ma, officer_zhao, officer_wang
):
    (task,) = _report_tasks(officer_ma)
    assert task.subject == case_after_hearing.number
    assert task.link == _new_url(case_after_hearing, REPORT)
    assert _report_tasks(officer_zhao) == [] and _report_tasks(officer_wang) == []
    document = drafting.create_draft(officer_ma, case_after_hearing, REPORT)
    (task,) = _report_tasks(officer_ma)
    assert task.link == reverse("documents:draft", args=[document.pk])
    document = drafting.save_draft(officer_ma, document, {**document.data, **REPORT_VALUES})
    approval.submit_for_approval(officer_ma, document)
    assert _report_tasks(officer_ma) == []


def test_no_report_task_before_the_hearing_is_held(scheduled_case, officer_ma):
    assert _report_tasks(officer_ma) == []
