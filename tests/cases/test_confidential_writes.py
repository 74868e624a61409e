"""Working a case needs reading it (R21.2, R18.5): whoever the confidentiality class keeps
from reading a case (a state secret is for its officers and the agency head) writes nothing
into it either — no page, no approval, no draft, no scan."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from liuhen.cases.models import ApprovalRequest, Case
from liuhen.core import access
from liuhen.core.confidentiality import Confidentiality
from liuhen.documents.models import Document
from tests.cases.helpers import denials
from tests.factories import CaseFactory, sign_in

pytestmark = pytest.mark.django_db

# Every permission that writes into a case, asked of the case itself.
CASE_WRITES = [
    "case.change",
    "case.hearing",
    "case.suspend",
    "case.discuss",
    "case.hearing_record",
    "case.assign",
    "approval.request",
    "document.draft",
    "document.request",
    "document.issue",
    "document.sign",
    "document.scan",
    "service.record",
    "payment.proceeding",
    "payment.deferral",
    "payment_deferral.request",
    "activity.record",
]

CASE_PAGES = [
    "cases:advance_notice",
    "cases:decide",
    "cases:discussion",
    "cases:hearing",
    "cases:suspension",
    "cases:urgent_start",
    "cases:close",
    "documents:new",
    "documents:scan",
]

PERSONAS = [
    "officer_wang",
    "officer_ma",
    "officer_li",
    "head_zhang",
    "agency_head_liu",
    "reviewer_sun",
    "custodian_zhou",
    "archivist_wu",
    "supervisor_zheng",
    "sysadmin_zhao",
    "secadmin_qian",
    "auditor_chen",
]


@pytest.fixture
def secret_case(unit_a, officer_wang) -> Case:
    """A state-secret case of 张伟's unit, worked by 王明 alone."""
    return CaseFactory(
        unit=unit_a,
        officers=[officer_wang],
        confidentiality=Confidentiality.STATE_SECRET,
        title="某涉密农药案",
    )


@pytest.mark.parametrize("permission", CASE_WRITES)
def test_the_unit_head_refused_reading_a_state_secret_case_writes_nothing_into_it(
    head_zhang, officer_wang, secret_case, permission
):
    assert not access.can(head_zhang, "case.view", secret_case)
    assert not access.can(head_zhang, permission, secret_case)
    # Its officer works it, as before.
    assert access.can(officer_wang, "case.view", secret_case)
    # Naming officers is the unit head's alone.
    assert access.can(officer_wang, permission, secret_case) is (permission != "case.assign")


@pytest.mark.parametrize("permission", CASE_WRITES)
def test_the_unit_head_still_works_the_cases_of_the_unit_they_may_read(
    head_zhang, unit_a, officer_wang, permission
):
    for level in (Confidentiality.ORDINARY, Confidentiality.PRIVACY):
        case = CaseFactory(unit=unit_a, officers=[officer_wang], confidentiality=level)
        assert access.can(head_zhang, permission, case), level


def test_every_case_write_requires_reading_the_case(request, unit_a, unit_b, officer_wang):
    cases = [
        CaseFactory(unit=unit, officers=officers, confidentiality=level)
        for unit in (unit_a, unit_b)
        for officers in ([], [officer_wang])
        for level in Confidentiality.values
    ]
    for persona in PERSONAS:
        user = request.getfixturevalue(persona)
        for case in cases:
            if access.can(user, "case.view", case):
                continue
            written = [p for p in CASE_WRITES if access.can(user, p, case)]
            assert written == [], (persona, case.confidentiality, case.unit_id)


@pytest.mark.parametrize("page", CASE_PAGES)
def test_each_page_answers_the_refused_head_as_the_case_page_does(
    client, head_zhang, officer_wang, secret_case, page
):
    sign_in(client, head_zhang)
    case_page = client.get(reverse("cases:detail", args=[secret_case.pk]))
    response = client.get(reverse(page, args=[secret_case.pk]))
    assert response.status_code == case_page.status_code == 404
    text = response.content.decode()
    assert secret_case.number not in text and secret_case.title not in text
    client.logout()
    sign_in(client, officer_wang)
    opened = client.get(reverse(page, args=[secret_case.pk]))
    assert opened.status_code == 200
    assert secret_case.number in opened.content.decode()


def test_the_refused_head_starts_nothing_urgently(client, head_zhang, secret_case):
    sign_in(client, head_zhang)
    url = reverse("cases:urgent_start", args=[secret_case.pk])
    for step in ("advance_preservation", "seizure", "on_site_inspection"):
        response = client.post(url, {"step": step, "reason": "证据可能灭失"})
        assert response.status_code == 404
    assert not ApprovalRequest.objects.filter(case=secret_case).exists()
    assert denials("approval.request", "cases.case", secret_case.pk) == 3


def test_the_refused_head_adds_no_draft_and_no_scan(client, head_zhang, secret_case):
    sign_in(client, head_zhang)
    drafted = client.post(
        reverse("documents:new", args=[secret_case.pk]), {"form": "rectification_order"}
    )
    scanned = client.post(
        reverse("documents:scan", args=[secret_case.pk]),
        {
            "form_code": "inquiry_transcript",
            "number": "",
            "issued_on": "2026-09-01",
            "note": "现场手写笔录",
            "file": SimpleUploadedFile("笔录.png", b"\x89PNG\r\n", content_type="image/png"),
        },
    )
    assert (drafted.status_code, scanned.status_code) == (404, 404)
    assert not Document.objects.filter(case=secret_case).exists()
