"""我的待办: every task provider shows the work to the person who must do it and to nobody
else; the page, the home block and the navbar count read the registry; a new task is
notified once (in the app and by e-mail)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.actions import decisions as decision_actions
from liuhen.cases.actions import workflow as workflow_actions
from liuhen.cases.models import Stage
from liuhen.core import inbox, registry
from liuhen.core.inbox import Task
from liuhen.core.models import Notification
from liuhen.devices.models import Device, DeviceStatus
from liuhen.media.models import DisposalRequest
from tests.delivery.service_helpers import issued_row
from tests.factories import CaseFactory, sign_in
from tests.fixtures.devices import enrol

pytestmark = pytest.mark.django_db


def _links(user) -> set[str]:
    return {task.link for task in inbox.tasks_for(user)}


def _provided(key: str, user) -> list[Task]:
    return registry.task_providers[key](user)


# --- approvals (R7.1) ------------------------------------------------------------------


def test_an_approval_is_in_the_inbox_of_whose_turn_it_is(
    case_in_decision, officer_wang, head_zhang, agency_head_liu, officer_ma
):
    asked = approval_actions.request_approval(officer_wang, case_in_decision, "decision")
    link = reverse("cases:approvals") + f"#approval-{asked.pk}"
    assert link in _links(head_zhang)
    [task] = _provided("approvals", head_zhang)
    assert task.subject == case_in_decision.number
    for other in (agency_head_liu, officer_wang, officer_ma):  # not (yet) theirs
        assert link not in _links(other)
    approval_actions.decide(head_zhang, asked, approve=True, opinion="同意")
    assert link in _links(agency_head_liu)
    assert link not in _links(head_zhang)


def test_an_approval_request_is_notified_once_to_the_approver(
    case_in_decision, officer_wang, head_zhang, agency_head_liu, django_capture_on_commit_callbacks
):
    from liuhen.cases import notices

    head_zhang.email = "zhang@example.org"
    head_zhang.save()
    with django_capture_on_commit_callbacks(execute=True):
        asked = approval_actions.request_approval(officer_wang, case_in_decision, "decision")
    [note] = Notification.objects.filter(recipient=head_zhang)
    assert note.link.endswith(f"#approval-{asked.pk}") and case_in_decision.number in note.text
    assert note.emailed and [m.to for m in mail.outbox] == [["zhang@example.org"]]
    assert not Notification.objects.filter(recipient=agency_head_liu).exists()
    with django_capture_on_commit_callbacks(execute=True):
        notices.approval_turn(asked)  # told again: not twice
    assert Notification.objects.filter(recipient=head_zhang).count() == 1
    assert len(mail.outbox) == 1
    # The next role hears when it is their turn.
    with django_capture_on_commit_callbacks(execute=True):
        approval_actions.decide(head_zhang, asked, approve=True, opinion="同意")
    assert Notification.objects.filter(recipient=agency_head_liu).count() == 1


# --- legal review (Art. 58) --------------------------------------------------------------


def test_a_legal_review_is_in_the_reviewers_inbox_until_done(
    case_in_decision, reviewer_sun, officer_wang, agency_head_liu
):
    link = reverse("cases:legal_review", args=[case_in_decision.pk])
    assert link not in _links(reviewer_sun)  # an ordinary case needs none
    case_in_decision.complex_or_serious = True
    case_in_decision.save()
    assert link in _links(reviewer_sun)
    assert link not in _links(officer_wang) and link not in _links(agency_head_liu)
    decision_actions.record_legal_review(
        reviewer_sun, case_in_decision, opinion="事实清楚", result="agree"
    )
    assert link not in _links(reviewer_sun)


def test_reviewers_are_notified_when_the_case_reaches_the_decision_stage(
    unit_a, officer_wang, reviewer_sun, django_capture_on_commit_callbacks, monkeypatch
):
    from liuhen.cases.actions import workflow as module

    case = CaseFactory(
        unit=unit_a, officers=[officer_wang], stage=Stage.INVESTIGATION, complex_or_serious=True
    )
    monkeypatch.setattr(module, "blockers", lambda case: [])
    with django_capture_on_commit_callbacks(execute=True):
        workflow_actions.advance_stage(officer_wang, case)
    [note] = Notification.objects.filter(recipient=reviewer_sun)
    assert note.link == reverse("cases:legal_review", args=[case.pk])
    assert not Notification.objects.filter(recipient=officer_wang).exists()


# --- collective discussion (Art. 57, R7.3) ----------------------------------------------


def test_the_agency_head_is_asked_to_hold_the_discussion(
    case_in_decision, agency_head_liu, head_zhang
):
    case_in_decision.complex_or_serious = True
    case_in_decision.save()
    link = reverse("cases:discussion", args=[case_in_decision.pk])
    assert link in _links(agency_head_liu)
    assert link not in _links(head_zhang)
    decision_actions.record_discussion(
        agency_head_liu,
        case_in_decision,
        held_at=timezone.now(),
        attendees=[agency_head_liu, head_zhang],
        opinions="同意",
        conclusion="罚款",
        attendee_opinions={agency_head_liu.pk: "同意", head_zhang.pk: "同意"},
    )
    assert link not in _links(agency_head_liu)


def test_a_heavier_penalty_told_asks_the_agency_head_for_the_discussion(
    case_in_decision, officer_wang, agency_head_liu, head_zhang
):
    """Art. 57, R7.3: a case told of a licence revocation needs the discussion though not
    marked complex or serious; one told of a warning does not."""
    link = reverse("cases:discussion", args=[case_in_decision.pk])
    told = {"notified_to": "张三", "method": "直接送达", "proposed_fine_fen": 0}
    decision_actions.record_advance_notice(
        officer_wang,
        case_in_decision,
        notified_at=timezone.now() - dt.timedelta(days=3),
        penalty_kinds=["warning"],
        **told,
    )
    assert link not in _links(agency_head_liu)
    decision_actions.record_advance_notice(
        officer_wang,
        case_in_decision,
        notified_at=timezone.now() - dt.timedelta(days=1),
        penalty_kinds=["licence_revoke"],
        rights=["statement", "defence", "hearing"],
        **told,
    )
    assert link in _links(agency_head_liu)
    assert link not in _links(head_zhang)


def test_an_attendee_is_asked_to_confirm_their_own_opinion(
    case_in_decision, officer_wang, head_zhang, agency_head_liu, reviewer_sun
):
    discussion = decision_actions.record_discussion(
        officer_wang,
        case_in_decision,
        held_at=timezone.now(),
        attendees=[agency_head_liu, head_zhang],
        opinions="同意",
        conclusion="罚款",
    )
    mine = discussion.attendee_opinions.get(attendee=head_zhang)
    link = reverse("cases:confirm_opinion", args=[mine.pk])
    assert link in _links(head_zhang)
    assert link not in _links(agency_head_liu) and link not in _links(reviewer_sun)
    decision_actions.confirm_opinion(head_zhang, mine, text="同意")
    assert link not in _links(head_zhang)


# --- AV disposal (R18.4) ----------------------------------------------------------------


def test_a_disposal_request_is_in_the_agency_heads_inbox(
    custodian_zhou, agency_head_liu, head_zhang
):
    asked = DisposalRequest.objects.create(requested_by=custodian_zhou, reason="保存期满")
    link = reverse("media:disposal_request", args=[asked.pk])
    assert link in _links(agency_head_liu)
    assert link not in _links(custodian_zhou) and link not in _links(head_zhang)


# --- devices kept out too long: recordings late for upload (R14.1) ----------------------


def test_a_device_kept_out_too_long_is_in_its_holders_and_keepers_inbox(
    unit_a, officer_wang, officer_ma, custodian_zhou, reviewer_sun
):
    device = enrol(unit_a)
    Device.objects.filter(pk=device.pk).update(
        status=DeviceStatus.CHECKED_OUT,
        holder=officer_wang,
        out_since=timezone.now() - dt.timedelta(days=5),
    )
    link = reverse("devices:detail", args=[device.pk])
    assert link in _links(officer_wang) and link in _links(custodian_zhou)
    assert link not in _links(officer_ma) and link not in _links(reviewer_sun)
    Device.objects.filter(pk=device.pk).update(out_since=timezone.now())
    assert link not in _links(officer_wang)


# --- deadlines near ---------------------------------------------------------------------


def test_an_overdue_period_is_in_the_inbox_of_the_cases_officers(
    case_opened, officer_wang, officer_li
):
    case = case_opened(timezone.localdate() - dt.timedelta(days=120))
    link = reverse("cases:detail", args=[case.pk]) + "#section-deadlines"
    [task] = [t for t in _provided("deadlines", officer_wang) if t.link == link][:1]
    assert task.overdue and task.subject == case.number
    assert link not in _links(officer_li)


# --- signatures owed (R9.1) -------------------------------------------------------------


def test_a_document_awaiting_the_partys_signature_is_in_the_officers_inbox(
    case_a, officer_wang, officer_ma
):
    issued = issued_row(officer_wang, case_a, "inspection_transcript")
    assert issued.needs_signature
    link = reverse("documents:issued", args=[issued.pk])
    assert link in _links(officer_wang)
    assert link not in _links(officer_ma)  # not an officer of this case


# --- the pages ----------------------------------------------------------------------------


def test_the_page_the_home_block_and_the_navbar_count(
    client, case_in_decision, officer_wang, head_zhang
):
    approval_actions.request_approval(officer_wang, case_in_decision, "decision")
    sign_in(client, head_zhang)
    page = client.get(reverse("web:tasks")).content.decode()
    assert "我的待办" in page and case_in_decision.number in page
    assert 'data-testid="task-count">1<' in page
    home = client.get(reverse("web:home")).content.decode()
    assert 'data-testid="home-tasks"' in home and case_in_decision.number in home
    # Other pages do not wait for the inbox: the navbar asks for the count once loaded.
    other = client.get(reverse("cases:list")).content.decode()
    assert f'hx-get="{reverse("web:task_count")}"' in other
    assert 'data-testid="task-count"' not in other
    counted = client.get(reverse("web:task_count")).content.decode()
    assert 'data-testid="task-count">1<' in counted
    client.logout()
    sign_in(client, officer_wang)
    page = client.get(reverse("web:tasks")).content.decode()
    assert 'data-testid="tasks-empty"' in page and 'data-testid="task-count"' not in page
    assert 'data-testid="task-count"' not in client.get(reverse("web:task_count")).content.decode()


def test_an_admin_role_has_an_empty_inbox(client, sysadmin_zhao):
    assert inbox.tasks_for(sysadmin_zhao) == []
    sign_in(client, sysadmin_zhao)
    assert client.get(reverse("web:tasks")).status_code == 200
