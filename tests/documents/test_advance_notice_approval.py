"""R7.1, R8.1: the advance notices 行政处罚事先告知书 are issued after the case handling
opinion 案件处理意见书 is approved, and name every right of the party (陈述、申辩, 申请回避
— 行政处罚法 Art. 43, 44 — and 听证 in their hearing variant). A 审批表 draft of a case
step is that step's request when submitted."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.models import ApprovalRequest, ApprovalStatus
from liuhen.documents.actions import approval, drafting, issuing
from liuhen.documents.catalog import catalog
from liuhen.documents.models import DocumentStatus, IssuedDocument
from tests.factories import sign_in
from tests.fixtures.documents import approve, draft_url, form_values
from tests.scenarios.helpers import approve_all

pytestmark = pytest.mark.django_db

NOTICES = ("advance_notice", "advance_notice_hearing")
VALUES = {
    "party_name": "某农资店",
    "facts": "经查，当事人于2026年9月1日销售未取得农药登记证的农药10瓶。",
    "basis": "《农药管理条例》第五十五条",
    "proposed_penalty": "警告",
    "statement_by": "2026-12-31",
    "issued_on": "2026-12-01",
}


def _draft(officer, case, code):
    draft = drafting.create_draft(officer, case, code)
    return drafting.save_draft(officer, draft, {**draft.data, **VALUES})


def test_the_notices_wait_for_the_approved_case_handling_opinion() -> None:
    assert catalog.get("case_handling_opinion").approval_step == "handling_opinion"
    for code in NOTICES:
        spec = catalog.get(code)
        assert spec.issued_after_approval == "handling_opinion", code
    # No other served form waits for a step.
    assert {s.code for s in catalog.all_forms() if s.issued_after_approval} == set(NOTICES)


@pytest.mark.parametrize("code", NOTICES)
def test_a_notice_is_issued_and_sealed_only_after_that_approval(
    installed_seal, case_in_decision, officer_wang, head_zhang, agency_head_liu, code
) -> None:
    draft = _draft(officer_wang, case_in_decision, code)
    with pytest.raises(ValidationError) as refused:
        issuing.issue(officer_wang, draft)
    assert refused.value.code == "prior_approval_missing"
    assert "案件处理意见书" in " ".join(refused.value.messages)
    assert not IssuedDocument.objects.exists()

    approve(officer_wang, case_in_decision, "handling_opinion", head_zhang, agency_head_liu)
    issued = issuing.issue(officer_wang, draft)
    assert issued.form_code == code and issued.number


@pytest.mark.parametrize("code", NOTICES)
def test_the_rights_text_names_recusal(case_in_decision, officer_wang, code) -> None:
    rights = drafting.create_draft(officer_wang, case_in_decision, code).data["rights"]
    assert "陈述、申辩" in rights and "申请回避" in rights and "第四十三条" in rights


def test_the_notice_draft_asks_for_the_handling_opinion_approval(
    client, case_in_decision, officer_wang
) -> None:
    draft = _draft(officer_wang, case_in_decision, "advance_notice")
    sign_in(client, officer_wang)
    page = client.get(draft_url(draft)).content.decode()
    assert 'data-testid="prior-approval-note"' in page and "案件处理意见书" in page
    assert 'data-testid="issue-hint"' in page and 'data-testid="chain-roles"' in page
    assert 'data-testid="do-submit"' in page

    response = client.post(draft_url(draft), {**VALUES, "do": "submit", "note": "请审批"})
    assert response.status_code == 302
    request = ApprovalRequest.objects.get(case=case_in_decision, step="handling_opinion")
    assert request.status == ApprovalStatus.PENDING
    page = client.get(draft_url(draft)).content.decode()
    assert 'data-status="pending"' in page and 'data-testid="approval-chain"' in page
    assert 'data-testid="do-submit"' not in page


def test_submitting_the_decision_approval_form_is_the_decision_request(
    case_in_decision, officer_wang, head_zhang, agency_head_liu
) -> None:
    """The 行政处罚决定审批表 submitted asks for the case's "decision" step, linked to the
    draft; a request asked for on the decision page before is joined, not doubled."""
    document = drafting.create_draft(officer_wang, case_in_decision, "decision_approval")
    document = drafting.save_draft(
        officer_wang, document, {**document.data, **VALUES, "statement": "当事人未陈述、申辩。"}
    )
    asked = approval_actions.request_approval(officer_wang, case_in_decision, "decision")
    request = approval.submit_for_approval(officer_wang, document, note="请审批")
    assert request == asked
    document.refresh_from_db()
    assert document.approval == asked and document.status == DocumentStatus.DRAFT
    assert ApprovalRequest.objects.filter(step="decision").count() == 1
    approve_all(request, head_zhang, agency_head_liu)
    with pytest.raises(ValidationError) as refused:
        approval.submit_for_approval(officer_wang, document)
    assert refused.value.code == "approved"


def test_a_fresh_decision_approval_form_asks_by_itself(
    client, case_in_decision, officer_wang, head_zhang
) -> None:
    document = drafting.create_draft(officer_wang, case_in_decision, "decision_approval")
    sign_in(client, officer_wang)
    page = client.get(draft_url(document))
    assert 'data-testid="case-step-note"' in page.content.decode()
    assert 'data-testid="do-submit"' in page.content.decode()
    typed = {**VALUES, "case_number": "洼农（农药）立〔2026〕3号"}
    client.post(
        draft_url(document),
        form_values(page, **typed, statement="当事人未陈述、申辩。", do="submit"),
    )
    document.refresh_from_db()
    assert document.approval is not None and document.approval.step == "decision"
    sign_in(client, head_zhang)  # the unit head finds it in the inbox
    inbox = client.get(reverse("cases:approvals")).content.decode()
    assert f'data-testid="approval-{document.approval.pk}"' in inbox


def test_a_suspension_form_is_not_its_own_request(client, case_in_decision, officer_wang):
    """A suspension is asked for on its own page, which records the suspension itself; its
    form's draft does not ask (nor create a bare request)."""
    document = drafting.create_draft(officer_wang, case_in_decision, "suspension_decision")
    sign_in(client, officer_wang)
    page = client.get(draft_url(document)).content.decode()
    assert 'data-testid="case-step-note"' in page and 'data-testid="do-submit"' not in page
    with pytest.raises(ValidationError) as refused:
        approval.submit_for_approval(officer_wang, document)
    assert refused.value.code == "case_step"
    assert not ApprovalRequest.objects.exists()
