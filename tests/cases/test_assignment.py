"""Assigning a case's officers and parties (R4.1, R4.2, R18.3; 行政处罚法 Art. 42): only
certified officers, never fewer than two certified, by the head of the case's unit, each
change kept with who, when and why."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from liuhen.accounts.models import Role
from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.actions import assignment, filing
from liuhen.cases.actions.registration import link_party
from liuhen.cases.models import AssignmentChange, LeadSource
from liuhen.core.access import AccessDenied, can
from liuhen.core.models import AuditEvent
from liuhen.subjects.models import CaseParty
from tests.cases.helpers import denials
from tests.factories import CertificateFactory, sign_in, unit_subject, uscc
from tests.fixtures.personas import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_zhao_expired(unit_a):
    """An officer of unit A whose only certificate ran out yesterday."""
    officer = make_person("officer_zhao", "赵刚", [Role.OFFICER], unit_a)
    officer.certificates.all().delete()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    CertificateFactory(officer=officer, valid_from=yesterday.replace(year=2020), valid_to=yesterday)
    return officer


def test_the_unit_head_assigns_a_certified_officer_audited(
    case_a, officer_wang, officer_ma, head_zhang
):
    change = assignment.assign_officer(head_zhang, case_a, officer_ma, reason="加强办案力量")
    assert set(case_a.officers.all()) == {officer_wang, officer_ma}
    assert change.certificate_number == officer_ma.certificates.get().number
    assert change.recorded_by == head_zhang and change.reason == "加强办案力量"
    event = AuditEvent.objects.get(action="case.assign_officer", case_id=case_a.pk)
    assert event.details["officer"] == officer_ma.pk


def test_an_officer_without_a_valid_certificate_is_refused(
    case_a, head_zhang, officer_zhao_expired
):
    with pytest.raises(ValidationError) as refused:
        assignment.assign_officer(head_zhang, case_a, officer_zhao_expired)
    message = " ".join(refused.value.messages)
    assert "赵刚" in message and f"{timezone.localdate():%Y-%m-%d}" in message
    assert not case_a.officers.filter(pk=officer_zhao_expired.pk).exists()


def test_a_case_keeps_two_certified_officers(
    case_a_two_officers, officer_wang, officer_ma, head_zhang
):
    with pytest.raises(ValidationError) as refused:
        assignment.release_officer(head_zhang, case_a_two_officers, officer_ma, reason="调岗")
    assert "第四十二条" in " ".join(refused.value.messages)
    assert case_a_two_officers.officers.count() == 2
    assignment.assign_officer(head_zhang, case_a_two_officers, head_zhang)
    assignment.release_officer(head_zhang, case_a_two_officers, officer_ma, reason="调岗")
    assert set(case_a_two_officers.officers.all()) == {officer_wang, head_zhang}
    rows = list(case_a_two_officers.assignment_changes.values_list("officer", "change"))
    assert rows == [(head_zhang.pk, "added"), (officer_ma.pk, "removed")]


def test_release_needs_a_reason(case_a_two_officers, officer_ma, head_zhang):
    with pytest.raises(ValidationError) as refused:
        assignment.release_officer(head_zhang, case_a_two_officers, officer_ma, reason=" ")
    assert "reason" in refused.value.error_dict


def test_who_may_assign(case_a, case_b, officer_wang, officer_ma, head_zhang, agency_head_liu):
    assert can(head_zhang, "case.assign", case_a)
    assert not can(head_zhang, "case.assign", case_b)  # another unit's case
    assert not can(officer_wang, "case.assign", case_a)  # works the case, does not staff it
    assert not can(agency_head_liu, "case.assign", case_a)
    with pytest.raises(AccessDenied):
        assignment.assign_officer(officer_wang, case_a, officer_ma)
    assert denials("case.assign", "cases.case", case_a.pk) == 1
    assert not case_a.officers.filter(pk=officer_ma.pk).exists()


def test_a_party_is_added_and_removed_with_reasons_and_the_history_kept(
    case_a, head_zhang, officer_wang
):
    shop = unit_subject(name="某农资经营部")
    other = unit_subject(uscc(2), name="另一农资店")
    link_party(head_zhang, case_a, shop, reason="调查发现")
    link_party(officer_wang, case_a, other)
    with pytest.raises(AccessDenied):  # the officer adds, only the unit head removes
        assignment.remove_party(officer_wang, case_a, case_a.parties.get(subject=shop), reason="x")
    with pytest.raises(ValidationError):
        assignment.remove_party(head_zhang, case_a, case_a.parties.get(subject=shop), reason="")
    assignment.remove_party(
        head_zhang, case_a, case_a.parties.get(subject=shop), reason="当事人认定错误"
    )
    assert list(CaseParty.objects.filter(case=case_a).values_list("subject", flat=True)) == [
        other.pk
    ]
    history = list(
        case_a.assignment_changes.filter(kind="party").values_list(
            "subject", "change", "reason", "recorded_by"
        )
    )
    assert history == [
        (shop.pk, "added", "调查发现", head_zhang.pk),
        (other.pk, "added", "", officer_wang.pk),
        (shop.pk, "removed", "当事人认定错误", head_zhang.pk),
    ]
    assert AuditEvent.objects.filter(action="case.remove_party", case_id=case_a.pk).count() == 1


def test_the_history_is_write_once(case_a, head_zhang, officer_ma):
    change = assignment.assign_officer(head_zhang, case_a, officer_ma)
    with pytest.raises(DatabaseError), transaction.atomic():
        AssignmentChange.objects.filter(pk=change.pk).update(reason="改")


def test_the_officers_named_at_filing_become_the_case_officers(
    officer_wang, officer_ma, head_zhang, agency_head_liu, unit_a
):
    lead = filing.record_lead(
        officer_wang, source=LeadSource.COMPLAINT, summary="举报销售假农药", unit=unit_a
    )
    request, _warnings = filing.propose_filing(
        officer_wang, lead, title="某案", field="农药", officers=[officer_ma]
    )
    for person in (head_zhang, agency_head_liu):
        request.refresh_from_db()
        approval_actions.decide(person, request, approve=True, opinion="同意")
    lead.refresh_from_db()
    case = lead.case
    assert set(case.officers.all()) == {officer_wang, officer_ma}
    added = case.assignment_changes.filter(kind="officer", change="added")
    assert set(added.values_list("officer", flat=True)) == {officer_wang.pk, officer_ma.pk}
    assert all(row.certificate_number for row in added)
    assert {row.recorded_by for row in added} == {agency_head_liu}


def test_filing_refuses_an_officer_without_a_certificate(
    officer_wang, officer_zhao_expired, unit_a
):
    lead = filing.record_lead(
        officer_wang, source=LeadSource.COMPLAINT, summary="举报", unit=unit_a
    )
    with pytest.raises(ValidationError) as refused:
        filing.propose_filing(
            officer_wang, lead, title="某案", field="农药", officers=[officer_zhao_expired]
        )
    assert "赵刚" in " ".join(refused.value.messages)


def test_the_page_is_the_unit_heads(
    client, case_a, officer_wang, officer_ma, head_zhang, officer_li
):
    url = reverse("cases:assignment", args=[case_a.pk])
    sign_in(client, officer_li)  # another unit's officer does not see the case
    assert client.get(url).status_code == 404
    client.logout()
    sign_in(client, officer_wang)  # works the case, may not staff it
    assert client.get(url).status_code == 403
    assert client.post(url, {"do": "assign", "officer": officer_ma.pk}).status_code == 403
    assert not case_a.officers.filter(pk=officer_ma.pk).exists()
    detail = client.get(reverse("cases:detail", args=[case_a.pk])).content.decode()
    assert url not in detail
    client.logout()
    sign_in(client, head_zhang)
    assert client.get(url).status_code == 200
    response = client.post(url, {"do": "assign", "officer": officer_ma.pk, "reason": "增援"})
    assert response.status_code == 302
    assert case_a.officers.filter(pk=officer_ma.pk).exists()
    refused = client.post(url, {"do": "release", "officer": officer_ma.pk, "reason": "调岗"})
    assert refused.status_code == 422 and "第四十二条" in refused.content.decode()
    detail = client.get(reverse("cases:detail", args=[case_a.pk])).content.decode()
    assert url in detail and "增援" in detail and "马骏" in detail
