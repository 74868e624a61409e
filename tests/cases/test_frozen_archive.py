"""R18.1: an archived case is frozen. Every change path — the actions behind the pages, the
pages, the API, the tasks — refuses a change to an archived case or to anything that belongs
to it, with the refusal audited once; the database refuses the same writes on its own. The
same paths still work on a case that is not archived."""

from __future__ import annotations

import ast
import datetime as dt
import inspect
from pathlib import Path
from types import SimpleNamespace as Fake
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

import liuhen
from liuhen.activities import actions as activity_actions
from liuhen.activities.models import Activity, ActivityOfficer
from liuhen.cases.actions import (
    approvals,
    assignment,
    decisions,
    hearings,
    registration,
    suspensions,
    workflow,
)
from liuhen.cases.actions.frozen import CaseArchived, refuse_if_archived
from liuhen.cases.events import CaseEvents
from liuhen.cases.models import Case, Stage
from liuhen.core import access, frozen_triggers
from liuhen.core.audit import SYSTEM
from liuhen.core.models import AuditEvent, Outcome
from liuhen.delivery.actions import deferrals, payments, proceedings, service
from liuhen.delivery.models import Payment
from liuhen.delivery.payment import gateway
from liuhen.documents.actions import approval as document_approval
from liuhen.documents.actions import drafting, issuing, officer_signing, scans, signing
from liuhen.media import links
from liuhen.media.actions import curation
from liuhen.media.models import AvLabel, AvLink
from liuhen.subjects import actions as subject_actions
from liuhen.subjects.models import CaseParty
from tests.delivery.payment_helpers import FINE, make_decision, notice_of
from tests.factories import sign_in
from tests.fixtures.api import ApiClient, token_for
from tests.media.linking import av

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("activity_types")]

SRC = Path(liuhen.__file__).parent
D = dt.date(2026, 11, 1)


def archive(case: Case) -> Case:
    """Set the moment of archiving the one way the triggers allow (from empty)."""
    Case.objects.filter(pk=case.pk).update(archived_at=timezone.now())
    case.refresh_from_db()
    return case


def refusals(case: Case) -> list[str]:
    """What the refused attempts on ``case`` tried, in the order they were made."""
    found = AuditEvent.objects.filter(
        action=CaseEvents.FROZEN_REFUSED, case_id=case.pk, outcome=Outcome.DENIED
    ).order_by("seq")
    return [event.details["what"] for event in found]


@pytest.fixture
def frozen_case_of_wang(case_a_two_officers, inspection_5h_ago, officer_wang):
    """王明 and 马骏's case with an inspection and an AV record linked to it, archived."""
    record = av(officer_wang, officer=officer_wang)
    curation.link(officer_wang, record, activity=inspection_5h_ago)
    case = archive(case_a_two_officers)
    return SimpleCase(case, inspection_5h_ago, record)


class SimpleCase:
    def __init__(self, case: Case, activity: Activity, record: Any) -> None:
        self.case, self.activity, self.record = case, activity, record


# --- the actions: every one that changes a case, walked ----------------------------------

CLOSING = {"step": "closing"}


def _walk(case: Case, activity: Activity, record: Any) -> list[tuple[Any, dict[str, Any]]]:
    """Each guarded action and what it is given: the archived case, or an object of it.

    The guard stands right after the access check and before anything else, so objects of
    the case are stand-ins that carry only the way to it."""
    of_case = Fake(case=case)
    of_decision = Fake(decision=of_case)
    link = links.current_links().get(record=record)
    return [
        (registration.link_party, {"case": case}),
        (assignment.assign_officer, {"case": case}),
        (assignment.release_officer, {"case": case}),
        (assignment.remove_party, {"case": case}),
        (workflow.advance_stage, {"case": case}),
        (workflow.mark_review_grounds, {"case": case}),
        (workflow.close_case, {"case": case}),
        (hearings.request_hearing, {"notice": of_case}),
        (hearings.schedule_hearing, {"hearing": of_case}),
        (hearings.record_hearing_held, {"hearing": of_case}),
        (decisions.record_advance_notice, {"case": case}),
        (decisions.record_waiver, {"notice": of_case}),
        (decisions.record_signed_waiver, {"case": case}),
        (decisions.record_legal_review, {"case": case}),
        (decisions.record_discussion, {"case": case}),
        (decisions.confirm_opinion, {"opinion": Fake(discussion=of_case)}),
        (decisions.record_unconfirmed_reason, {"opinion": Fake(discussion=of_case)}),
        (decisions.record_decision, {"case": case}),
        (decisions.file_simple_case, {"case": case}),
        (approvals.request_approval, {"case": case, **CLOSING}),
        (approvals.request_approval_about, {"case": case, **CLOSING}),
        (approvals.request_or_join, {"case": case, **CLOSING}),
        (approvals.start_urgently, {"case": case, **CLOSING}),
        (approvals.decide, {"approval_request": of_case, "opinion": ""}),
        (suspensions.suspend_investigation, {"case": case}),
        (suspensions.resume_investigation, {"case": case}),
        (activity_actions.record_activity, {"case": case}),
        (activity_actions.record_activity_within, {"case": case}),
        (activity_actions.request_av_exemption, {"activity": activity}),
        (curation.confirm_suggestion, {"record": record, "activity": activity}),
        (curation.link, {"record": record, "case": case}),
        (curation.file_as_evidence, {"record": record, "case": case}),
        (curation.withdraw_link, {"link": link}),
        (curation.label, {"record": record, "text": "标注"}),
        (curation.mark, {"record": record, "important": True}),
        (drafting.create_draft, {"case": case}),
        (drafting.save_draft, {"document": of_case}),
        (drafting.discard_draft, {"document": of_case}),
        (document_approval.submit_for_approval, {"document": of_case}),
        (issuing.issue, {"document": of_case}),
        (officer_signing.sign_as_officer, {"issued": of_case}),
        (signing.sign, {"issued": of_case}),
        (signing.refuse, {"issued": of_case}),
        (signing.finalise, {"issued": of_case}),
        (scans.upload_scan, {"case": case}),
        (service.record_consent, {"case": case}),
        (service.record_service, {"issued": of_case}),
        (proceedings.record_proceeding, {"decision": of_case}),
        (proceedings.end_proceeding, {"proceeding": of_decision}),
        (deferrals.request_deferral, {"notice": of_decision}),
    ]


def _call(action: Any, actor: Any, given: dict[str, Any]) -> Any:
    """Call ``action`` as ``actor`` with ``given`` and None for whatever else it requires."""
    params = list(inspect.signature(action).parameters.values())
    arguments = {params[0].name: actor}
    for param in params[1:]:
        if param.name in given:
            arguments[param.name] = given[param.name]
        elif param.default is inspect.Parameter.empty and param.kind != param.VAR_KEYWORD:
            arguments[param.name] = None
    return action(**arguments)


def _name(action: Any) -> str:
    return f"{action.__module__.split('.')[1]}.{action.__name__}"


def test_every_action_refuses_an_archived_case_and_audits_the_attempt(
    frozen_case_of_wang, officer_wang, monkeypatch
):
    # Access is not what is under test here (each action's own tests check it both ways):
    # every action is reached as if allowed, so that the freeze is what refuses.
    monkeypatch.setattr(access, "require", lambda *args, **kwargs: None)
    frozen = frozen_case_of_wang
    walk = _walk(frozen.case, frozen.activity, frozen.record)
    before = AuditEvent.objects.count()
    for action, given in walk:
        with pytest.raises(CaseArchived) as refused:
            _call(action, officer_wang, given)
        assert refused.value.code == "archived"
        assert "依据：制度第十八条" in refused.value.messages[0], _name(action)
    assert refusals(frozen.case) == [_name(action) for action, _given in walk]
    assert AuditEvent.objects.count() == before + len(walk)  # nothing else was written
    assert not AvLabel.objects.exists()


def test_the_walk_covers_every_guarded_action(frozen_case_of_wang):
    """A new action that guards itself is walked too: the list above names them all."""
    guarded = set()
    for path in SRC.rglob("actions*/**/*.py"):
        guarded |= _guarded_in(path)
    for path in SRC.rglob("actions.py"):
        guarded |= _guarded_in(path)
    frozen = frozen_case_of_wang
    walked = {
        _name(action) for action, _given in _walk(frozen.case, frozen.activity, frozen.record)
    }
    assert guarded - {"delivery.receive_callback"} == walked


def _guarded_in(path: Path) -> set[str]:
    app = path.relative_to(SRC).parts[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            calls = [
                call
                for call in ast.walk(node)
                if isinstance(call, ast.Call)
                and getattr(call.func, "id", "") == "refuse_if_archived"
            ]
            if calls:
                found.add(f"{app}.{node.name}")
    return found


def test_the_guard_lets_an_open_case_pass_and_records_nothing(case_a, officer_wang):
    refuse_if_archived(officer_wang, case_a, "cases.advance_stage")
    refuse_if_archived(officer_wang, None, "cases.request_approval_about")
    assert refusals(case_a) == []


def test_a_stale_case_object_is_refused_all_the_same(case_a, officer_wang):
    """The guard reads the database, not the object in hand (archived meanwhile)."""
    Case.objects.filter(pk=case_a.pk).update(archived_at=timezone.now())
    assert case_a.archived_at is None
    with pytest.raises(CaseArchived):
        refuse_if_archived(officer_wang, case_a, "cases.advance_stage")
    assert refusals(case_a) == ["cases.advance_stage"]


# --- AV: linking, labels and the mark follow the case ---------------------------------


def test_av_of_an_archived_case_is_frozen_and_of_an_open_one_is_not(
    frozen_case_of_wang, officer_wang, custodian_zhou, case_a
):
    record = frozen_case_of_wang.record
    with pytest.raises(CaseArchived):
        curation.label(custodian_zhou, record, "现场检查")
    with pytest.raises(CaseArchived):
        curation.mark(officer_wang, record, important=True)
    assert refusals(frozen_case_of_wang.case) == ["media.label", "media.mark"]
    other = av(officer_wang, officer=officer_wang)
    curation.link(officer_wang, other, case=case_a)
    assert curation.label(custodian_zhou, other, "现场检查").text == "现场检查"
    curation.mark(officer_wang, other, important=True)
    assert links.is_important(other)


# --- subjects: a party of an archived case is not merged away ----------------------------


def test_a_party_of_an_archived_case_is_not_merged_and_of_an_open_one_is(case_a, case_b):
    project = {"kind": "project", "name": "高标准农田"}
    kept, merged = (subject_actions.create_subject(SYSTEM, **project) for _n in range(2))
    CaseParty.objects.create(case=case_a, subject=merged)
    archive(case_a)
    with pytest.raises(ValidationError, match="制度第十八条"):
        subject_actions.merge_subjects(SYSTEM, kept, merged)
    [refused] = AuditEvent.objects.filter(action="subject.merge", outcome=Outcome.DENIED)
    assert refused.case_id == case_a.pk
    assert CaseParty.objects.get(case=case_a).subject == merged
    other = subject_actions.create_subject(SYSTEM, **project)
    CaseParty.objects.create(case=case_b, subject=other)
    subject_actions.merge_subjects(SYSTEM, kept, other)
    assert CaseParty.objects.get(case=case_b).subject == kept


# --- pages, API, tasks ---------------------------------------------------------------


def test_the_page_refuses_an_archived_case_with_the_reason(client, officer_wang, case_a):
    archive(case_a)
    sign_in(client, officer_wang)
    response = client.post(reverse("cases:advance", args=[case_a.pk]), follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and "依据：制度第十八条" in page and "归档" in page
    assert refusals(case_a) == ["cases.advance_stage"]
    assert Case.objects.get(pk=case_a.pk).stage == case_a.stage


def test_the_page_still_works_on_an_open_case(client, officer_wang, case_a):
    sign_in(client, officer_wang)
    client.post(reverse("cases:advance", args=[case_a.pk]), follow=True)
    assert refusals(case_a) == []


def test_the_api_refuses_an_archived_case_and_works_on_an_open_one(
    officer_wang, officer_ma, case_a_two_officers
):
    api = ApiClient(token_for(officer_wang))
    start = timezone.now() - dt.timedelta(hours=1)
    body = {
        "case_id": case_a_two_officers.pk,
        "type": "inspection",
        "started_at": start.isoformat(),
        "ended_at": (start + dt.timedelta(minutes=30)).isoformat(),
        "place": "大洼区某农资店",
        "officers": ["officer_wang", "officer_ma"],
    }
    assert api.post("/activities", body).status_code == 201
    archive(case_a_two_officers)
    response = api.post("/activities", body)
    assert response.status_code == 422
    assert "依据：制度第十八条" in response.json()["error"]["message"]
    assert api.post(f"/cases/{case_a_two_officers.pk}/advance").status_code == 422
    assert refusals(case_a_two_officers) == [
        "activities.record_activity",
        "cases.advance_stage",
    ]
    assert Activity.objects.filter(case=case_a_two_officers).count() == 1


@pytest.mark.usefixtures("gateway_secret")
def test_a_payment_callback_for_an_archived_case_is_refused(client, unit_a, officer_wang):
    decision = make_decision(
        unit_a, officer_wang, number="洼农（农药）罚〔2026〕41号", decided_on=D
    )
    notice = notice_of(decision)
    archive(decision.case)
    body, headers = gateway.sign_callback(gateway.simulated_payment(notice.number, FINE))
    response = client.post(
        "/pay/callback/", data=body, content_type="application/json", headers=headers
    )
    assert response.status_code == 409 and "制度第十八条" in response.json()["error"]
    assert refusals(decision.case) == ["delivery.receive_callback"]
    assert not Payment.objects.exists()


def test_the_daily_surcharge_task_leaves_an_archived_case_alone(unit_a, officer_wang):
    """A sweeping task skips an archived case instead of failing on it (R18.1)."""
    kept = notice_of(
        make_decision(unit_a, officer_wang, number="洼农（农药）罚〔2026〕42号", decided_on=D)
    )
    frozen = notice_of(
        make_decision(unit_a, officer_wang, number="洼农（农药）罚〔2026〕43号", decided_on=D)
    )
    archive(frozen.decision.case)
    assert payments.refresh_surcharges(SYSTEM) == 1
    kept.refresh_from_db()
    frozen.refresh_from_db()
    assert kept.surcharge_on == timezone.localdate() and frozen.surcharge_on != kept.surcharge_on


# --- the database refuses too ----------------------------------------------------------


def _refused(write: Any, match: str = "archived") -> None:
    with pytest.raises(IntegrityError, match=match), transaction.atomic():
        write()


def test_the_database_refuses_changes_to_an_archived_case_row(case_a):
    archive(case_a)
    _refused(lambda: Case.objects.filter(pk=case_a.pk).update(title="改过的标题"))
    _refused(lambda: Case.objects.filter(pk=case_a.pk).update(archived_at=None))
    _refused(lambda: Case.objects.filter(pk=case_a.pk).update(stage=Stage.DECISION))
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_case WHERE id = %s", [case_a.pk])
    assert Case.objects.get(pk=case_a.pk).title == case_a.title


def test_archiving_itself_is_the_one_change_allowed(case_a):
    Case.objects.filter(pk=case_a.pk).update(archived_at=timezone.now(), stage=Stage.ARCHIVING)
    assert Case.objects.get(pk=case_a.pk).archived_at is not None


def test_the_database_refuses_rows_of_an_archived_case(
    frozen_case_of_wang, officer_wang, officer_ma
):
    frozen, wang = frozen_case_of_wang, officer_wang
    case, activity, record = frozen.case, frozen.activity, frozen.record
    link = AvLink.objects.get(record=record)
    _refused(lambda: case.officers.add(officer_ma) or case.officers.remove(officer_wang))
    _refused(lambda: Activity.objects.filter(pk=activity.pk).update(place="别处"))
    _refused(lambda: ActivityOfficer.objects.filter(activity=activity).delete())
    _refused(lambda: Activity.objects.create(case=case, type=activity.type, **_times(activity)))
    _refused(lambda: AvLink.objects.create(record=record, case=case, kind="manual", linked_by=wang))
    # An AV link is write-once as well: whichever of the two triggers the database fires
    # first refuses the change.
    either = "archived|write-once"
    _refused(lambda: AvLink.objects.filter(pk=link.pk).update(evidence=True), either)
    _refused(lambda: AvLink.objects.filter(pk=link.pk).delete(), either)
    assert Activity.objects.get(pk=activity.pk).place == activity.place


def test_the_database_lets_an_open_case_change(
    case_a_two_officers, inspection_5h_ago, officer_wang
):
    case, activity = case_a_two_officers, inspection_5h_ago
    Case.objects.filter(pk=case.pk).update(title="改过的标题")
    Activity.objects.filter(pk=activity.pk).update(place="别处")
    Activity.objects.create(case=case, type=activity.type, **_times(activity))
    record = av(officer_wang, officer=officer_wang)
    AvLink.objects.create(record=record, case=case, kind="manual", linked_by=officer_wang)
    assert Activity.objects.filter(case=case).count() == 2


def _times(activity: Activity) -> dict[str, Any]:
    return {
        "started_at": activity.started_at,
        "ended_at": activity.ended_at,
        "place": "某地",
        "unit": activity.unit,
        "recorded_by": activity.recorded_by,
    }


def test_the_test_flush_suspends_the_triggers_and_puts_them_back(db):
    before = frozen_triggers.installed()
    assert {table for _name, table, _sql in before} >= {"cases_case", "activities_activity"}
    with frozen_triggers.suspended():
        assert frozen_triggers.installed() == []
    assert frozen_triggers.installed() == before
