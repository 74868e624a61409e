"""An ordinary case where the proposed revocation of a licence 吊销许可证件 forces the right to
a hearing (行政处罚法 Art. 63 (三); 农业行政处罚程序规定 Art. 59), walked through the pages
where they are (filing and approvals by actions).

The notice without the hearing right is refused and the 听证 advance notice is the form the
case page offers; the party asks for a hearing within 5 working days (Art. 64(1)), is told
7 working days ahead (Art. 64(2)), the hearing is held under a chair who did not
investigate (Art. 64(4)); the decision waits for it (Art. 65), then for legal review
(Art. 58(1)(二)) and collective discussion (Art. 57), and is made. Every refusal says why,
in Chinese.

The notice and the hearing are dated in the past (a hearing needs 7 working days of notice
and can only be recorded once held).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from liuhen.accounts.models import Role
from liuhen.cases import hearings
from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.actions import filing
from liuhen.cases.actions import workflow as workflow_actions
from liuhen.cases.actions.registration import link_party
from liuhen.cases.models import AdvanceNotice, Decision, DiscussionOpinion, Hearing, Stage
from liuhen.documents.models import Document
from liuhen.subjects import actions as subjects
from tests.factories import UserFactory, sign_in
from tests.scenarios.helpers import approve_all

pytestmark = pytest.mark.django_db

NOTICE_DAYS_AGO = 30


def _field(value: dt.datetime) -> str:
    return f"{timezone.localtime(value):%Y-%m-%dT%H:%M}"


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


def _refused(response) -> str:
    assert response.status_code == 422, response.status_code
    return response.content.decode()


def _done(response) -> None:
    assert response.status_code == 302, response.content.decode()[-3000:]


@override("zh-hans")
def test_a_proposed_licence_revocation_goes_through_a_hearing_to_the_decision(
    client, officer_wang, head_zhang, agency_head_liu, reviewer_sun, unit_a
):
    heads = (head_zhang, agency_head_liu)
    shop = subjects.create_subject(officer_wang, kind="unit", name="某农资经营部")
    lead = filing.record_lead(
        officer_wang, source="inspection", summary="某农资经营部经营假农药", unit=unit_a
    )
    request, _warnings = filing.propose_filing(
        officer_wang, lead, title="某农资经营部经营假农药案", field="农药", officers=[head_zhang]
    )
    approve_all(request, *heads)
    lead.refresh_from_db()
    case = lead.case
    link_party(officer_wang, case, shop)
    case = workflow_actions.advance_stage(officer_wang, case)
    assert case.stage == Stage.DECISION
    sign_in(client, officer_wang)
    detail = reverse("cases:detail", args=[case.pk])

    # 事先告知: a revocation is not notified without the hearing right (Art. 63 (三)).
    notice_url = reverse("cases:advance_notice", args=[case.pk])
    notified_at = timezone.now() - dt.timedelta(days=NOTICE_DAYS_AGO)
    notice = {
        "do": "notice",
        "notified_at": _field(notified_at),
        "notified_to": "某农资经营部 法定代表人张三",
        "method": "直接送达",
        "rights": ["statement", "defence"],
        "penalty_kinds": ["licence_revoke"],
    }
    page = _refused(client.post(notice_url, notice))
    assert "吊销许可证件" in page and "听证" in page and "第六十三条" in page
    assert not AdvanceNotice.objects.exists()
    _done(client.post(notice_url, {**notice, "rights": ["statement", "defence", "hearing"]}))
    recorded = AdvanceNotice.objects.get(case=case)
    assert "hearing" in recorded.rights

    # The case page offers the 听证 variant of the notice, chosen already; the other is not
    # offered and cannot be drafted.
    text = client.get(detail).content.decode()
    picker = text[text.index('data-testid="new-document-picker"') :]
    assert '<option value="advance_notice_hearing" selected>' in picker
    assert '<option value="advance_notice"' not in picker
    new_document = reverse("documents:new", args=[case.pk])
    client.post(new_document, {"form": "advance_notice"})
    assert not Document.objects.filter(case=case, form_code="advance_notice").exists()
    _done(client.post(new_document, {"form": "advance_notice_hearing"}))
    drafted = Document.objects.get(case=case, form_code="advance_notice_hearing")
    assert "吊销许可证件" in drafted.data["proposed_penalty"]
    assert "听证" in drafted.data["hearing_rights"]

    # The decision is not made before the party had its chance to ask for a hearing: it
    # waits for the hearing asked for (Art. 65).
    hearing_url = reverse("cases:hearing", args=[case.pk])
    closes = hearings.request_window_closes(recorded)
    ask = {"do": "request", "requested_by_party": "法定代表人张三", "request_method": "书面申请"}
    late = _refused(
        client.post(hearing_url, {**ask, "requested_at": _field(_at(closes + dt.timedelta(1), 9))})
    )
    assert "逾期" in late and f"{closes:%Y-%m-%d}" in late
    requested_at = notified_at + dt.timedelta(days=1)
    _done(client.post(hearing_url, {**ask, "requested_at": _field(requested_at)}))
    hearing = Hearing.objects.get(case=case)

    decide_url = reverse("cases:decide", args=[case.pk])
    decision = {
        "do": "decide",
        "penalty_kinds": ["licence_revoke"],
        "fine_yuan": "",
        "facts": "经营假农药，情节严重",
        "basis": "《农药管理条例》第五十五条",
    }
    approve_all(approval_actions.request_approval(officer_wang, case, "decision"), *heads)
    waiting = _refused(client.post(decide_url, decision))
    assert "听证" in waiting and "第六十五条" in waiting

    # The hearing notice: 7 working days ahead, the chair not an investigator (Art. 64).
    chair = UserFactory(username="chair_qin", full_name="秦岭", roles=[Role.LEGAL_REVIEWER])
    told = requested_at + dt.timedelta(hours=2)
    day = hearings.earliest_hearing_day(told)
    assert day < timezone.localdate()
    schedule = {
        "do": "schedule",
        "notified_at": _field(told),
        "place": "区农业农村局听证室",
        "public": "on",
    }
    early = _refused(
        client.post(
            hearing_url,
            {
                **schedule,
                "chair": chair.pk,
                "scheduled_at": f"{day - dt.timedelta(days=1):%Y-%m-%d}T09:00",
            },
        )
    )
    assert "工作日" in early and f"{day:%Y-%m-%d}" in early
    investigator = _refused(
        client.post(
            hearing_url,
            {**schedule, "chair": head_zhang.pk, "scheduled_at": f"{day:%Y-%m-%d}T09:00"},
        )
    )
    assert "主持" in investigator or "选择" in investigator
    _done(
        client.post(
            hearing_url, {**schedule, "chair": chair.pk, "scheduled_at": f"{day:%Y-%m-%d}T09:00"}
        )
    )

    # The chair records the hearing held.
    client.logout()
    sign_in(client, chair)
    _done(
        client.post(
            hearing_url,
            {
                "do": "held",
                "held_at": f"{day:%Y-%m-%d}T09:05",
                "summary": "当事人对违法事实无异议，请求不予吊销",
                "outcome": "建议按告知内容作出处罚",
            },
        )
    )
    assert hearings.held(hearing) is not None
    case.refresh_from_db()
    assert case.hearing_held and case.needs_legal_review

    # After the hearing: legal review (Art. 58) and collective discussion (Art. 57).
    client.logout()
    sign_in(client, officer_wang)
    after = _refused(client.post(decide_url, decision))
    assert "法制审核" in after and "集体讨论" in after and "听证" not in after
    client.logout()
    sign_in(client, reviewer_sun)
    review_url = reverse("cases:legal_review", args=[case.pk])
    _done(client.post(review_url, {"do": "review", "result": "agree", "opinion": "程序合法"}))
    client.logout()
    sign_in(client, officer_wang)
    _done(
        client.post(
            reverse("cases:discussion", args=[case.pk]),
            {
                "do": "discussion",
                "held_at": _field(timezone.now() - dt.timedelta(hours=1)),
                "attendees": [head_zhang.pk, agency_head_liu.pk],
                "opinions": "听证意见不足以改变处罚",
                "conclusion": "吊销农药经营许可证",
                f"opinion_{head_zhang.pk}": "同意吊销",
                f"opinion_{agency_head_liu.pk}": "同意吊销",
            },
        )
    )
    # R7.3: each attendee confirms their own opinion on their own page.
    for attendee in (head_zhang, agency_head_liu):
        opinion = DiscussionOpinion.objects.get(discussion__case=case, attendee=attendee)
        client.logout()
        sign_in(client, attendee)
        confirm_url = reverse("cases:confirm_opinion", args=[opinion.pk])
        assert client.get(confirm_url).status_code == 200
        _confirmed = client.post(confirm_url, {"do": "confirm", "text": "同意吊销"})
        assert _confirmed.status_code == 302, _confirmed.content.decode()
    client.logout()
    sign_in(client, officer_wang)
    _done(client.post(decide_url, decision))
    made = Decision.objects.get(case=case)
    assert made.penalty_kinds == ["licence_revoke"] and "罚" in made.number
    text = client.get(detail).content.decode()
    assert re.search(r'data-testid="workflow-decision"', text) and made.number in text
