"""调阅申请 (R21.1): filing, the decision by the owning unit's head, the grant enforced at
each use and stopping the moment it expires or is revoked, every use audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from liuhen.core import access, inbox
from liuhen.core.access import AccessDenied
from liuhen.core.confidentiality import Confidentiality
from liuhen.core.models import AuditEvent, Outcome
from liuhen.retrieval.actions import requests as retrieval
from liuhen.retrieval.models import RequestStatus
from liuhen.retrieval.perms import RetrievalPerms
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def _case_page(case) -> str:
    return reverse("cases:detail", args=[case.pk])


@pytest.fixture
def asked_for_case_a(case_a, officer_li):
    """李强 of unit B asks to view 王明's case of unit A."""
    return retrieval.file_request(
        officer_li, kind="case", case_number=case_a.number, reason="办理关联案件需比对"
    )


def test_a_request_names_the_owning_unit_and_the_default_period(asked_for_case_a, case_a):
    assert asked_for_case_a.owning_unit_id == case_a.unit_id
    assert asked_for_case_a.days == 7 and asked_for_case_a.number.startswith("DY-")
    assert asked_for_case_a.status() == RequestStatus.PENDING
    assert AuditEvent.objects.filter(action="retrieval.file", case_id=case_a.pk).exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"reason": "  "}, "reason", "请写明调阅理由"),
        ({"days": 31}, "days", "调阅期限应为1至30天"),
        ({"case_number": "洼农（农药）立〔1999〕1号"}, "case_number", "没有找到要调阅的案件"),
    ],
)
def test_a_request_is_refused_with_its_reason(case_a, officer_li, fields, field, message):
    values = {"kind": "case", "case_number": case_a.number, "reason": "比对", **fields}
    with pytest.raises(ValidationError) as refused:
        retrieval.file_request(officer_li, **values)
    assert message in " ".join(refused.value.message_dict[field])


def test_nobody_asks_for_what_they_may_already_see(case_a, officer_wang):
    with pytest.raises(ValidationError) as refused:
        retrieval.file_request(officer_wang, kind="case", pk=case_a.pk, reason="查看")
    assert "无需调阅" in refused.value.message_dict["access"][0]


def test_the_owning_unit_head_sees_it_in_the_tasks_and_others_do_not(
    asked_for_case_a, head_zhang, officer_ma, officer_li, agency_head_liu
):
    assert [task.subject for task in inbox.tasks_for(head_zhang)] == [asked_for_case_a.number]
    assert any(t.subject == asked_for_case_a.number for t in inbox.tasks_for(agency_head_liu))
    for other in (officer_ma, officer_li):
        assert all(t.subject != asked_for_case_a.number for t in inbox.tasks_for(other))


def test_only_the_owning_unit_head_decides(asked_for_case_a, officer_ma, officer_li):
    for refused in (officer_ma, officer_li):
        with pytest.raises(AccessDenied):
            retrieval.grant(refused, asked_for_case_a)
    assert (
        AuditEvent.objects.filter(action=RetrievalPerms.DECIDE, outcome=Outcome.DENIED).count() == 2
    )


def test_a_classified_case_is_decided_by_the_agency_head(
    unit_a, officer_wang, officer_li, head_zhang, agency_head_liu
):
    secret = CaseFactory(
        unit=unit_a, officers=[officer_wang], confidentiality=Confidentiality.TRADE_SECRET
    )
    filed = retrieval.file_request(officer_li, kind="case", pk=secret.pk, reason="比对")
    assert filed.needs_agency_head
    assert not access.can(head_zhang, RetrievalPerms.DECIDE, filed)
    assert inbox.tasks_for(head_zhang) == []
    retrieval.grant(agency_head_liu, filed)
    assert access.can(officer_li, "case.view", secret)


def test_a_grant_opens_the_case_and_each_use_names_it(
    client, asked_for_case_a, case_a, officer_li, head_zhang
):
    client.force_login(officer_li)
    assert client.get(_case_page(case_a)).status_code == 404
    retrieval.grant(head_zhang, asked_for_case_a, opinion="同意调阅")
    assert client.get(_case_page(case_a)).status_code == 200
    assert client.get(_case_page(case_a)).status_code == 200
    uses = AuditEvent.objects.filter(action="case.view", object_id=str(case_a.pk), outcome="ok")
    assert uses.count() == 2
    assert {event.details["grant"] for event in uses} == {asked_for_case_a.number}


def test_a_pending_or_refused_request_opens_nothing(
    client, asked_for_case_a, case_a, officer_li, head_zhang
):
    client.force_login(officer_li)
    assert client.get(_case_page(case_a)).status_code == 404
    with pytest.raises(ValidationError):
        retrieval.refuse(head_zhang, asked_for_case_a, reason=" ")
    retrieval.refuse(head_zhang, asked_for_case_a, reason="与所办案件无关")
    assert asked_for_case_a.status() == RequestStatus.REFUSED
    assert client.get(_case_page(case_a)).status_code == 404
    with pytest.raises(ValidationError):
        retrieval.grant(head_zhang, asked_for_case_a)


def test_an_expired_grant_stops_at_once(
    client, asked_for_case_a, case_a, officer_li, head_zhang, time_machine
):
    given = retrieval.grant(head_zhang, asked_for_case_a)
    time_machine.move_to(given.expires_at - dt.timedelta(minutes=1), tick=False)
    client.force_login(officer_li)
    assert client.get(_case_page(case_a)).status_code == 200
    time_machine.move_to(given.expires_at + dt.timedelta(seconds=1), tick=False)
    assert client.get(_case_page(case_a)).status_code == 404
    assert asked_for_case_a.status() == RequestStatus.EXPIRED
    with pytest.raises(ValidationError):
        retrieval.revoke(head_zhang, asked_for_case_a, reason="已过期")


def test_a_revoked_grant_stops_at_once_and_only_the_approver_revokes(
    client, asked_for_case_a, case_a, officer_li, officer_ma, head_zhang
):
    retrieval.grant(head_zhang, asked_for_case_a)
    client.force_login(officer_li)
    assert client.get(_case_page(case_a)).status_code == 200
    for refused in (officer_li, officer_ma):
        with pytest.raises(AccessDenied):
            retrieval.revoke(refused, asked_for_case_a, reason="不再需要")
    retrieval.revoke(head_zhang, asked_for_case_a, reason="关联案件已办结")
    assert client.get(_case_page(case_a)).status_code == 404
    assert asked_for_case_a.status() == RequestStatus.REVOKED
    assert AuditEvent.objects.filter(action="retrieval.revoke", outcome=Outcome.OK).count() == 1


def test_a_case_grant_reaches_its_documents_and_a_document_grant_only_the_document(
    issued_order, officer_li, head_zhang
):
    case = issued_order.case
    assert not access.can(officer_li, "document.view", issued_order)
    filed = retrieval.file_request(officer_li, kind="document", pk=issued_order.pk, reason="比对")
    retrieval.grant(head_zhang, filed)
    assert access.can(officer_li, "document.view", issued_order)
    assert access.can(officer_li, "document.download", issued_order)
    assert not access.can(officer_li, "case.view", case)
    assert not access.can(officer_li, "document.draft", issued_order)
    whole = retrieval.file_request(officer_li, kind="case", pk=case.pk, reason="比对")
    retrieval.grant(head_zhang, whole)
    assert access.can(officer_li, "case.view", case)
    assert not access.can(officer_li, "case.change", case)


def test_the_pages_list_the_requests_for_the_requester_and_the_approver(
    client, asked_for_case_a, officer_li, head_zhang, officer_ma
):
    client.force_login(officer_li)
    page = client.get(reverse("retrieval:index")).content.decode()
    assert asked_for_case_a.number in page and "待审批" in page
    client.force_login(officer_ma)
    assert asked_for_case_a.number not in client.get(reverse("retrieval:index")).content.decode()
    detail = reverse("retrieval:detail", args=[asked_for_case_a.pk])
    assert client.get(detail).status_code == 404
    client.force_login(head_zhang)
    page = client.get(reverse("retrieval:index")).content.decode()
    assert "待我审批的申请" in page and asked_for_case_a.number in page
    response = client.post(detail, {"do": "grant", "opinion": "同意"})
    assert response.status_code == 302
    asked_for_case_a.refresh_from_db()
    assert asked_for_case_a.status() == RequestStatus.GRANTED
    page = client.get(detail).content.decode()
    assert "已批准" in page and 'data-testid="revoke"' in page


def test_the_form_files_a_request_by_case_number(client, case_a, officer_li):
    client.force_login(officer_li)
    form = client.get(reverse("retrieval:new") + f"?kind=case&case={case_a.number}")
    assert form.status_code == 200 and case_a.number in form.content.decode()
    response = client.post(
        reverse("retrieval:new"),
        {
            "kind": "case",
            "case_number": case_a.number,
            "access_kind": "view",
            "reason": "办理关联案件",
            "days": 3,
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "办理关联案件" in page and "种植业执法科负责人" in page
