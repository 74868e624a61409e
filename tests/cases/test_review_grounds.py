"""Whether a case is complex or serious, or of major public interest, is set on its page by
those who work it, with a reason (Arts. 57, 58, R7.3): the legal reviewer then finds the
法制审核 and the agency head the 集体讨论 in 我的待办; others may not set it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import override

from liuhen.cases import inbox
from liuhen.cases.actions import workflow as workflow_actions
from liuhen.cases.models import Stage
from liuhen.core.access import AccessDenied
from liuhen.core.models import AuditEvent
from tests.factories import sign_in

pytestmark = pytest.mark.django_db


def test_marked_complex_it_reaches_the_reviewer_and_the_agency_head(
    case_in_decision, officer_wang, reviewer_sun, agency_head_liu
):
    assert inbox.legal_reviews_to_do(reviewer_sun) == []
    assert inbox.discussions_to_hold(agency_head_liu) == []
    case = workflow_actions.mark_review_grounds(
        officer_wang,
        case_in_decision,
        complex_or_serious=True,
        major_public_interest=False,
        reason="涉及多个法律关系，案情复杂",
    )
    assert case.complex_or_serious and case.needs_legal_review
    event = AuditEvent.objects.get(action="case.review_grounds", case_id=case.pk)
    assert event.details["to"] == {"complex_or_serious": True, "major_public_interest": False}
    assert event.details["reason"] == "涉及多个法律关系，案情复杂"
    assert [t.subject for t in inbox.legal_reviews_to_do(reviewer_sun)] == [case.number]
    assert [t.subject for t in inbox.discussions_to_hold(agency_head_liu)] == [case.number]

    # Major public interest alone: a legal review, no collective discussion.
    workflow_actions.mark_review_grounds(
        officer_wang,
        case,
        complex_or_serious=False,
        major_public_interest=True,
        reason="涉及重大公共利益",
    )
    assert [t.subject for t in inbox.legal_reviews_to_do(reviewer_sun)] == [case.number]
    assert inbox.discussions_to_hold(agency_head_liu) == []


def test_only_those_who_work_the_case_set_it_with_a_reason(
    case_in_decision, officer_li, reviewer_sun, officer_wang
):
    for outsider in (officer_li, reviewer_sun):
        with pytest.raises(AccessDenied):
            workflow_actions.mark_review_grounds(
                outsider,
                case_in_decision,
                complex_or_serious=True,
                major_public_interest=False,
                reason="案情复杂",
            )
    with override("zh-hans"), pytest.raises(ValidationError) as refused:
        workflow_actions.mark_review_grounds(
            officer_wang,
            case_in_decision,
            complex_or_serious=True,
            major_public_interest=False,
            reason="  ",
        )
    assert refused.value.messages == ["请填写理由。"]
    case_in_decision.stage = Stage.SERVICE
    case_in_decision.save()
    with pytest.raises(ValidationError):
        workflow_actions.mark_review_grounds(
            officer_wang,
            case_in_decision,
            complex_or_serious=True,
            major_public_interest=False,
            reason="案情复杂",
        )
    case_in_decision.refresh_from_db()
    assert not case_in_decision.complex_or_serious
    assert not AuditEvent.objects.filter(action="case.review_grounds").exists()


def test_the_page_sets_it_and_refuses_others(client, case_in_decision, officer_wang, officer_li):
    url = reverse("cases:review_grounds", args=[case_in_decision.pk])
    sign_in(client, officer_li)
    assert client.get(url).status_code in (403, 404)
    client.logout()

    sign_in(client, officer_wang)
    page = client.get(reverse("cases:detail", args=[case_in_decision.pk])).content.decode()
    assert url in page
    response = client.post(url, {"do": "grounds", "complex_or_serious": "on", "reason": ""})
    assert response.status_code == 422
    response = client.post(
        url, {"do": "grounds", "complex_or_serious": "on", "reason": "案情疑难复杂"}
    )
    assert response.status_code == 302
    case_in_decision.refresh_from_db()
    assert case_in_decision.complex_or_serious and not case_in_decision.major_public_interest
    assert "checked" in client.get(url).content.decode()  # shown as it stands
