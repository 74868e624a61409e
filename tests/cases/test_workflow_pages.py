from __future__ import annotations

import pytest
from django.urls import reverse

from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.actions import filing
from liuhen.cases.models import Lead, LeadStatus
from tests.cases.helpers import denials
from tests.factories import CaseFactory, sign_in

pytestmark = pytest.mark.django_db


def test_lead_pages_and_filing(client, officer_wang, officer_ma, officer_li, reviewer_sun, unit_a):
    sign_in(client, officer_wang)
    response = client.post(
        reverse("cases:lead_create"), {"source": "complaint", "summary": "举报销售假种子"}
    )
    lead = Lead.objects.get()
    assert response.status_code == 302 and lead.unit == unit_a
    assert "举报销售假种子" in client.get(reverse("cases:leads")).content.decode()
    response = client.post(
        reverse("cases:lead_detail", args=[lead.pk]),
        {
            "do": "file",
            "title": "某种子店销售假种子案",
            "field": "种子",
            "officers": [officer_ma.pk],
        },
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.status == LeadStatus.PROPOSED
    client.logout()
    sign_in(client, officer_li)  # another unit's officer: the lead is not there for them
    assert client.get(reverse("cases:lead_detail", args=[lead.pk])).status_code == 404
    assert denials("lead.view", "cases.lead", lead.pk) == 1
    assert "举报销售假种子" not in client.get(reverse("cases:leads")).content.decode()


def test_a_lead_seen_bureau_wide_may_not_be_proposed_by_its_reader(
    client, officer_wang, reviewer_sun, unit_a
):
    lead = filing.record_lead(officer_wang, source="other", summary="线索", unit=unit_a)
    sign_in(client, reviewer_sun)  # reads leads bureau-wide, proposes none
    url = reverse("cases:lead_detail", args=[lead.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"do": "file", "title": "某案", "field": "农药"}).status_code == 403
    assert denials("lead.propose", "cases.lead", lead.pk) == 1
    lead.refresh_from_db()
    assert lead.status == LeadStatus.OPEN


def test_approval_inbox(client, officer_wang, officer_ma, head_zhang, unit_a):
    lead = filing.record_lead(officer_wang, source="other", summary="线索", unit=unit_a)
    request, _w = filing.propose_filing(
        officer_wang, lead, title="某案", field="农药", officers=[officer_ma]
    )
    sign_in(client, officer_wang)
    assert client.get(reverse("cases:approvals")).status_code == 403
    client.logout()
    sign_in(client, head_zhang)
    page = client.get(reverse("cases:approvals")).content.decode()
    assert f'data-testid="approval-{request.pk}"' in page
    client.post(
        reverse("cases:approval_decide", args=[request.pk]),
        {"opinion": "同意立案", "decision": "approve"},
    )
    request.refresh_from_db()
    assert request.position == 1 and request.approvals.get().opinion == "同意立案"


def test_signing_a_request_one_may_not_see_is_404_and_one_may_not_sign_403(
    client, officer_wang, officer_ma, officer_li, unit_a
):
    lead = filing.record_lead(officer_wang, source="other", summary="线索", unit=unit_a)
    request, _w = filing.propose_filing(
        officer_wang, lead, title="某案", field="农药", officers=[officer_ma]
    )
    url = reverse("cases:approval_decide", args=[request.pk])
    body = {"opinion": "同意", "decision": "approve"}
    sign_in(client, officer_li)  # another unit's officer: the request is not there for them
    assert client.post(url, body).status_code == 404
    assert denials("approval.decide", "cases.approvalrequest", request.pk) == 1
    client.logout()
    sign_in(client, officer_wang)  # sees their own request, never signs it
    assert client.post(url, body).status_code == 403
    assert denials("approval.decide", "cases.approvalrequest", request.pk) == 2
    request.refresh_from_db()
    assert request.position == 0 and not request.approvals.exists()


def test_case_page_sections_and_advance(client, officer_wang, unit_a):
    case = CaseFactory(unit=unit_a, officers=[officer_wang])
    approval_actions.request_approval(officer_wang, case, "closing")
    sign_in(client, officer_wang)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-section="workflow"' in page and 'data-section="approvals"' in page
    assert 'data-testid="workflow-blockers"' in page
    response = client.post(reverse("cases:advance", args=[case.pk]), follow=True)
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.stage == "initiation"


def test_the_lead_and_filing_forms_are_styled(client, officer_wang, unit_a):
    """Every input of the lead and filing forms has the large Bootstrap look of the tablet."""
    sign_in(client, officer_wang)
    html = client.get(reverse("cases:lead_create")).content.decode()
    assert (
        '<textarea name="summary" cols="40" rows="4" class="form-control form-control-lg"' in html
    )
    lead = filing.record_lead(officer_wang, source="other", summary="线索", unit=unit_a)
    html = client.get(reverse("cases:lead_detail", args=[lead.pk])).content.decode()
    assert 'name="title" maxlength="300" class="form-control form-control-lg"' in html
