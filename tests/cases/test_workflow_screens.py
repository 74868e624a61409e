"""The workflow screens: each renders in Chinese, calls its action, shows refusals, answers
404 for a case one may not see and 403 for one one sees but may not act on (both audited)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.actions import decisions as decision_actions
from liuhen.cases.models import (
    AdvanceNotice,
    ApprovalRequest,
    Case,
    CollectiveDiscussion,
    Decision,
    LegalReview,
    Procedure,
    Waiver,
)
from liuhen.core.models import AuditEvent
from liuhen.subjects.models import Subject
from tests.cases.helpers import denials
from tests.factories import sign_in

pytestmark = pytest.mark.django_db


def _approve(actor, case, step, *people):
    request = approval_actions.request_approval(actor, case, step)
    for person in people:
        request.refresh_from_db()
        approval_actions.decide(person, request, approve=True, opinion="同意")


def _notice(case, officer, fine_fen):
    return decision_actions.record_advance_notice(
        officer,
        case,
        notified_at=timezone.now(),
        notified_to="某农资店",
        method="直接送达",
        penalty_kinds=["fine"],
        proposed_fine_fen=fine_fen,
    )


def _audited(action: str) -> bool:
    return AuditEvent.objects.filter(action=action, outcome="ok").exists()


def _denied(client, url: str, data: dict) -> None:
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403


def _hidden(client, url: str, data: dict, action: str, case) -> None:
    """The case is not there for this user: 404, and both attempts audited as denials."""
    before = denials(action, "cases.case", case.pk)
    assert client.get(url).status_code == 404
    assert client.post(url, data).status_code == 404
    assert denials(action, "cases.case", case.pk) == before + 2


NOTICE = {
    "do": "notice",
    "notified_at": "2026-11-20T10:00",
    "notified_to": "某农资店 张三",
    "method": "直接送达",
    "rights": ["statement", "defence", "hearing"],
    "penalty_kinds": ["fine", "warning"],
    "proposed_fine_yuan": "1200.50",
}


def test_advance_notice_and_waiver(client, case_in_decision, officer_wang, officer_li):
    url = reverse("cases:advance_notice", args=[case_in_decision.pk])
    sign_in(client, officer_wang)
    page = client.get(url).content.decode()
    assert "事先告知" in page and "陈述" in page and "申辩" in page
    response = client.post(url, NOTICE)
    assert response.status_code == 302
    notice = AdvanceNotice.objects.get(case=case_in_decision)
    assert notice.proposed_fine_fen == 1200_50 and notice.notified_by == officer_wang
    assert set(notice.penalty_kinds) == {"fine", "warning"}
    assert _audited("case.advance_notice")
    # The refusal of the action (no right to defend) is shown in the form, in Chinese.
    refused = client.post(url, {**NOTICE, "rights": ["statement"]})
    assert refused.status_code == 422
    assert "陈述" in refused.content.decode() and AdvanceNotice.objects.count() == 1
    # Waiver on the latest notice.
    page = client.get(url).content.decode()
    assert 'data-testid="form-waiver"' in page
    waiver = {"do": "waiver", "rights": ["hearing"], "statement": "本人放弃听证"}
    assert client.post(url, waiver).status_code == 302
    assert Waiver.objects.get(notice=notice).statement == "本人放弃听证"
    assert _audited("case.waiver")
    client.logout()
    sign_in(client, officer_li)  # another unit's officer
    _hidden(client, url, NOTICE, "case.change", case_in_decision)


def test_decide_screen(
    client, case_in_decision, officer_wang, officer_li, head_zhang, agency_head_liu
):
    url = reverse("cases:decide", args=[case_in_decision.pk])
    sign_in(client, officer_wang)
    data = {"penalty_kinds": ["fine"], "fine_yuan": "800", "facts": "销售假农药", "basis": "条例"}
    # No notice yet: the action's reasons are shown.
    refused = client.post(url, data)
    assert refused.status_code == 422 and "事先告知" in refused.content.decode()
    _notice(case_in_decision, officer_wang, 1000_00)
    _approve(officer_wang, case_in_decision, "decision", head_zhang, agency_head_liu)
    page = client.get(url).content.decode()
    assert "¥1,000.00" in page and "罚款" in page
    too_much = client.post(url, {**data, "fine_yuan": "1000.01"})
    assert too_much.status_code == 422 and not Decision.objects.exists()
    assert client.post(url, data).status_code == 302
    decision = Decision.objects.get(case=case_in_decision)
    assert decision.fine_fen == 800_00 and _audited("case.decide")
    detail = client.get(reverse("cases:detail", args=[case_in_decision.pk])).content.decode()
    assert decision.number in detail and "¥800.00" in detail
    client.logout()
    sign_in(client, officer_li)  # another unit's officer
    _hidden(client, url, data, "case.change", case_in_decision)


def test_legal_review_screen(client, case_in_decision, officer_wang, reviewer_sun):
    url = reverse("cases:legal_review", args=[case_in_decision.pk])
    data = {"result": "agree", "opinion": "事实清楚，同意"}
    sign_in(client, reviewer_sun)
    page = client.get(url).content.decode()
    assert "法制审核" in page
    refused = client.post(url, {"result": "bogus", "opinion": "x"})
    assert refused.status_code == 422 and not LegalReview.objects.exists()
    assert client.post(url, data).status_code == 302
    assert LegalReview.objects.get(case=case_in_decision).reviewer == reviewer_sun
    assert _audited("case.legal_review")
    # The investigator may not review the own case, nor see the button.
    client.logout()
    sign_in(client, officer_wang)
    detail = client.get(reverse("cases:detail", args=[case_in_decision.pk])).content.decode()
    assert 'data-testid="to-legal-review"' not in detail and 'data-testid="to-decide"' in detail
    _denied(client, url, data)


def test_discussion_screen(
    client, case_in_decision, officer_wang, officer_li, head_zhang, agency_head_liu
):
    url = reverse("cases:discussion", args=[case_in_decision.pk])
    sign_in(client, officer_wang)
    assert "集体讨论" in client.get(url).content.decode()
    data = {
        "held_at": "2026-11-21T09:30",
        "attendees": [head_zhang.pk, agency_head_liu.pk],
        "opinions": "同意处罚",
        "conclusion": "罚款",
    }
    refused = client.post(url, {**data, "attendees": [head_zhang.pk]})
    assert refused.status_code == 422 and "集体讨论" in refused.content.decode()
    assert client.post(url, data).status_code == 302
    discussion = CollectiveDiscussion.objects.get(case=case_in_decision)
    assert set(discussion.attendees.all()) == {head_zhang, agency_head_liu}
    assert _audited("case.discussion")
    client.logout()
    sign_in(client, officer_li)  # another unit's officer
    _hidden(client, url, data, "case.discuss", case_in_decision)


def test_close_screen(
    client, case_in_decision, officer_wang, officer_li, head_zhang, agency_head_liu
):
    url = reverse("cases:close", args=[case_in_decision.pk])
    sign_in(client, officer_wang)
    assert "结案" in client.get(url).content.decode()
    refused = client.post(url, {"do": "close", "condition": "no_penalty"})
    assert refused.status_code == 422 and "结案报告" in refused.content.decode()
    assert client.post(url, {"do": "request", "note": "拟不予处罚结案"}).status_code == 302
    request = ApprovalRequest.objects.get(case=case_in_decision, step="closing")
    assert _audited("approval.request")
    for person in (head_zhang, agency_head_liu):
        request.refresh_from_db()
        approval_actions.decide(person, request, approve=True, opinion="同意")
    assert 'data-testid="form-request"' not in client.get(url).content.decode()
    assert client.post(url, {"do": "close", "condition": "no_penalty"}).status_code == 302
    case_in_decision.refresh_from_db()
    assert case_in_decision.closed_at is not None and _audited("case.close")
    client.logout()
    sign_in(client, officer_li)  # another unit's officer
    _hidden(
        client, url, {"do": "close", "condition": "no_penalty"}, "case.change", case_in_decision
    )


def test_urgent_start_screen(client, case_in_decision, officer_wang, officer_li):
    url = reverse("cases:urgent_start", args=[case_in_decision.pk])
    sign_in(client, officer_wang)
    assert "紧急" in client.get(url).content.decode()
    refused = client.post(url, {"step": "advance_preservation", "reason": " "})
    assert refused.status_code == 422
    data = {"step": "advance_preservation", "reason": "证据可能灭失"}
    assert client.post(url, data).status_code == 302
    started = ApprovalRequest.objects.get(case=case_in_decision)
    assert started.urgent_reason == "证据可能灭失" and started.paperwork_due is not None
    assert _audited("approval.urgent_start")
    client.logout()
    sign_in(client, officer_li)  # another unit's officer
    _hidden(client, url, data, "approval.request", case_in_decision)


def test_seizure_screen_asks_for_approval_then_the_extension(
    client, case_in_decision, officer_wang, officer_li, head_zhang, agency_head_liu
):
    """行政强制法 Art. 18(一): the seizure is sent for approval first; Art. 25: once
    approved, its one extension."""
    url = reverse("cases:seizure", args=[case_in_decision.pk])
    sign_in(client, officer_wang)
    page = client.get(url).content.decode()
    assert "查封（扣押）" in page and 'name="do" value="seizure"' in page
    assert client.post(url, {"do": "seizure", "note": "涉案假农药需扣押"}).status_code == 302
    request = ApprovalRequest.objects.get(case=case_in_decision, step="seizure")
    assert request.note == "涉案假农药需扣押" and _audited("approval.request")
    for person in (head_zhang, agency_head_liu):
        request.refresh_from_db()
        approval_actions.decide(person, request, approve=True, opinion="同意")
    page = client.get(url).content.decode()
    assert 'value="seizure"' not in page and 'name="do" value="extension"' in page
    assert client.post(url, {"do": "extension", "note": "案情复杂"}).status_code == 302
    assert ApprovalRequest.objects.filter(step="seizure_extension").exists()
    client.logout()
    sign_in(client, officer_li)  # another unit's officer
    _hidden(client, url, {"do": "seizure"}, "approval.request", case_in_decision)


def test_on_the_spot_screen(client, unit_a, officer_wang, officer_ma, reviewer_sun):
    """Art. 51, 52: the page takes the place and the other officers present (Art. 42)."""
    person = Subject.objects.create(kind="person", name="赵六")
    url = reverse("cases:on_the_spot")
    sign_in(client, officer_wang)
    assert 'data-testid="to-on-the-spot"' in client.get(reverse("cases:list")).content.decode()
    page = client.get(url).content.decode()
    assert "当场" in page and "马骏" in page and "连同您本人" in page
    data = {
        "subject": person.pk,
        "penalty_kind": "fine",
        "amount_yuan": "50",
        "facts": "未按规定标注",
        "basis": "《农药管理条例》",
        "field": "农药",
        "place": "某农资店",
        "officers": [officer_ma.pk],
    }
    too_much = client.post(url, {**data, "amount_yuan": "201"})
    assert too_much.status_code == 422 and "普通程序" in too_much.content.decode()
    alone = client.post(url, {**data, "officers": []})
    assert alone.status_code == 422 and "执法证" in alone.content.decode()
    response = client.post(url, data)
    case = Case.objects.get(procedure=Procedure.SIMPLE)
    assert response.status_code == 302 and response.url == reverse("cases:detail", args=[case.pk])
    assert case.decision.fine_fen == 50_00 and _audited("case.decide_on_the_spot")
    assert case.activities.get().place == "某农资店"
    client.logout()
    sign_in(client, reviewer_sun)
    assert 'data-testid="to-on-the-spot"' not in client.get(reverse("cases:list")).content.decode()
    _denied(client, url, data)


def test_on_the_spot_enters_a_new_party_and_comes_back(client, unit_a, officer_wang):
    """A party met for the first time in the shop is entered, then chosen, in one flow."""
    url = reverse("cases:on_the_spot")
    sign_in(client, officer_wang)
    page = client.get(url).content.decode()
    new_party = reverse("subjects:create") + "?next=%2Fcases%2Fon-the-spot%2F"
    assert f'href="{new_party}"' in page
    form = client.get(new_party).content.decode()
    assert 'name="next" value="/cases/on-the-spot/"' in form
    response = client.post(
        reverse("subjects:create"),
        {"kind": "person", "name": "钱七", "next": url},
    )
    subject = Subject.objects.get(name="钱七")
    assert response.status_code == 302 and response.url == f"{url}?subject={subject.pk}"
    back = client.get(response.url).content.decode()
    assert f'<option value="{subject.pk}" selected>' in back
    # A link elsewhere is not followed (no open redirect).
    response = client.post(
        reverse("subjects:create"),
        {"kind": "person", "name": "孙八", "next": "https://evil.example/"},
    )
    assert response.url == reverse("subjects:detail", args=[Subject.objects.get(name="孙八").pk])


def test_on_the_spot_case_is_filed_from_the_case_page(
    client, unit_a, officer_wang, officer_ma, officer_li, reviewer_sun, activity_types
):
    """Art. 52: the officer files (备案) the on-the-spot decision from the case page; a
    reader who does not work the case sees no button and is refused 403, an officer of
    another unit 404 (both audited); a second filing is refused with the reason."""
    shop = Subject.objects.create(kind="unit", name="某农资经营部")
    case = decision_actions.decide_on_the_spot(
        officer_wang,
        unit=unit_a,
        subject=shop,
        officers=[officer_ma],
        penalty_kind="fine",
        amount_fen=500_00,
        facts="农药标签未按规定标注",
        basis="《农药管理条例》第五十八条",
        field="农药",
        place="某农资经营部店内",
    )
    detail = reverse("cases:detail", args=[case.pk])
    url = reverse("cases:file_simple", args=[case.pk])
    sign_in(client, reviewer_sun)
    page = client.get(detail).content.decode()
    assert 'data-testid="simple-filing"' in page and 'data-testid="simple-file"' not in page
    assert client.post(url).status_code == 403
    assert denials("case.change", "cases.case", case.pk) == 1
    client.logout()
    sign_in(client, officer_li)
    assert client.post(url).status_code == 404
    assert denials("case.change", "cases.case", case.pk) == 2
    client.logout()

    sign_in(client, officer_wang)
    page = client.get(detail).content.decode()
    assert "行政处罚法》第52条" in page and 'data-testid="simple-file"' in page
    response = client.post(url)
    assert response.status_code == 302 and response.url == detail
    case.refresh_from_db()
    assert case.simple_filed_at is not None and _audited("case.simple_filed")
    page = client.get(detail).content.decode()
    assert 'data-testid="simple-filed"' in page and 'data-testid="simple-file"' not in page
    assert "已备案" in page
    again = client.post(url, follow=True).content.decode()
    assert "本案已备案。" in again
    assert AuditEvent.objects.filter(action="case.simple_filed", outcome="ok").count() == 1


def test_buttons_hidden_without_access(client, case_in_decision, officer_wang, supervisor_zheng):
    sign_in(client, officer_wang)
    page = client.get(reverse("cases:detail", args=[case_in_decision.pk])).content.decode()
    assert 'data-testid="to-advance-notice"' in page and 'data-testid="to-close"' in page
    client.logout()
    sign_in(client, supervisor_zheng)
    response = client.get(reverse("cases:detail", args=[case_in_decision.pk]))
    if response.status_code == 200:
        assert 'data-testid="workflow-actions"' not in response.content.decode()
    else:
        assert response.status_code == 403


@pytest.mark.parametrize(
    ("name", "action"),
    [
        ("advance_notice", "case.change"),
        ("decide", "case.change"),
        ("discussion", "case.discuss"),
        ("close", "case.change"),
        ("urgent_start", "approval.request"),
        ("seizure", "approval.request"),
        ("advance", "case.change"),
    ],
)
def test_a_reader_who_does_not_work_the_case_is_refused_403(
    client, case_in_decision, reviewer_sun, name, action
):
    sign_in(client, reviewer_sun)  # reads every case of the bureau, works none
    assert client.get(reverse("cases:detail", args=[case_in_decision.pk])).status_code == 200
    url = reverse(f"cases:{name}", args=[case_in_decision.pk])
    assert client.post(url, {}).status_code == 403
    assert denials(action, "cases.case", case_in_decision.pk) == 1
