"""Record-activity form, activity page with the AV checklist, exemption buttons."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from liuhen.activities.models import Activity, ActivityType, AvExemption
from liuhen.core.models import AuditEvent, Outcome
from tests.activities.helpers import record
from tests.factories import denial, sign_in, unit_subject

pytestmark = pytest.mark.usefixtures("activity_types")

REASON = "根据实际情况，执法记录仪故障，现场以文字和照片记录。"
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _form(officers, **extra):
    start = timezone.localtime() - dt.timedelta(hours=1)
    data = {
        "type": ActivityType.objects.get(code="inspection").pk,
        "started_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ended_at": (start + dt.timedelta(minutes=40)).strftime("%Y-%m-%dT%H:%M"),
        "place": "大洼区田家街道某农资店",
        "officers": [o.pk for o in officers],
        "gps_lat": "40.987654",
        "gps_lon": "122.123456",
    }
    data.update(extra)
    return data


def test_form_shows_case_officers(client, officer_wang, officer_ma, case_a_two_officers):
    sign_in(client, officer_wang)
    html = client.get(f"/activities/new/?case={case_a_two_officers.pk}", **ZH).content.decode()
    assert "记录执法活动" in html and "马骏" in html and "王明" in html


def test_record_through_the_form(client, officer_wang, officer_ma, case_a_two_officers):
    sign_in(client, officer_wang)
    response = client.post(
        f"/activities/new/?case={case_a_two_officers.pk}", _form([officer_wang, officer_ma])
    )
    activity = Activity.objects.get()
    assert response.status_code == 302 and response.url == f"/activities/{activity.pk}/"
    assert activity.case == case_a_two_officers and str(activity.gps_lat) == "40.987654"


def test_one_officer_is_refused_on_the_form(client, officer_wang, case_a_two_officers):
    sign_in(client, officer_wang)
    response = client.post(
        f"/activities/new/?case={case_a_two_officers.pk}", _form([officer_wang]), **ZH
    )
    assert response.status_code == 200 and not Activity.objects.exists()
    assert "执法证" in response.content.decode()


def test_bad_gps_is_refused_on_the_form(client, officer_wang, officer_ma, case_a_two_officers):
    sign_in(client, officer_wang)
    data = _form([officer_wang, officer_ma], gps_lat="95")
    response = client.post(f"/activities/new/?case={case_a_two_officers.pk}", data, **ZH)
    assert response.status_code == 200 and not Activity.objects.exists()
    assert "纬度" in response.content.decode()


def test_a_case_the_officer_cannot_see_answers_404_and_is_audited(
    client, officer_li, case_a_two_officers
):
    sign_in(client, officer_li)
    assert client.get(f"/activities/new/?case={case_a_two_officers.pk}").status_code == 404
    denied = denial(
        "activity.record", object_type="cases.case", object_id=str(case_a_two_officers.pk)
    )
    assert denied.actor_name == "officer_li"


def test_a_case_seen_but_not_worked_answers_403(client, supervisor_zheng, case_a_two_officers):
    # The supervisor reads every case (R21.2) but records no activity in one.
    sign_in(client, supervisor_zheng)
    assert client.get(f"/activities/new/?case={case_a_two_officers.pk}").status_code == 403
    assert (
        denial("activity.record", object_id=str(case_a_two_officers.pk)).actor_name
        == "supervisor_zheng"
    )


def test_detail_shows_the_checklist(client, officer_wang, officer_ma, case_a_two_officers):
    activity = record(officer_wang, case_a_two_officers, [officer_wang, officer_ma])
    sign_in(client, officer_wang)
    html = client.get(f"/activities/{activity.pk}/", **ZH).content.decode()
    assert "表明身份、出示执法证件" in html and "需要音像记录" in html
    assert 'data-testid="exemption-request"' in html


def test_detail_of_another_units_activity_answers_404_and_is_audited(
    client, officer_li, officer_wang, officer_ma, case_a_two_officers
):
    activity = record(officer_wang, case_a_two_officers, [officer_wang, officer_ma])
    sign_in(client, officer_li)
    assert client.get(f"/activities/{activity.pk}/").status_code == 404
    denied = denial("activity.view", object_type="activities.activity")
    assert denied.object_id == str(activity.pk) and denied.actor_name == "officer_li"


def test_detail_of_a_visible_activity_opens_and_the_reading_is_recorded(
    client, head_zhang, officer_wang, officer_ma, case_a_two_officers
):
    activity = record(officer_wang, case_a_two_officers, [officer_wang, officer_ma])
    sign_in(client, head_zhang)
    assert client.get(f"/activities/{activity.pk}/").status_code == 200
    viewed = AuditEvent.objects.get(action="activity.view")
    assert viewed.outcome == Outcome.OK and viewed.actor_name == "head_zhang"


def test_an_exemption_for_a_hidden_activity_answers_404_and_nothing_is_asked(
    client, officer_li, officer_wang, officer_ma, case_a_two_officers
):
    activity = record(officer_wang, case_a_two_officers, [officer_wang, officer_ma])
    sign_in(client, officer_li)
    response = client.post(f"/activities/{activity.pk}/exemption/", {"reason": REASON})
    assert response.status_code == 404 and not AvExemption.objects.exists()
    assert denial("av_exemption.request", object_id=str(activity.pk)).actor_name == "officer_li"


def test_exemption_buttons(client, officer_wang, officer_ma, head_zhang, case_a_two_officers):
    activity = record(officer_wang, case_a_two_officers, [officer_wang, officer_ma])
    sign_in(client, officer_wang)
    client.post(f"/activities/{activity.pk}/exemption/", {"reason": REASON})
    exemption = AvExemption.objects.get()
    assert not exemption.approved
    # The requester sees no decision form and cannot sign.
    html = client.get(f"/activities/{activity.pk}/", **ZH).content.decode()
    assert "待科室负责人审批" in html
    assert 'data-testid="exemption-approve"' not in html
    decide = f"/activities/{activity.pk}/exemption/decide/"
    assert client.post(decide, {"decision": "approve", "opinion": "同意"}).status_code == 403
    sign_in(client, head_zhang)
    html = client.get(f"/activities/{activity.pk}/").content.decode()
    assert 'data-testid="exemption-approve"' in html and 'name="opinion"' in html
    # R7.1: no opinion, no approval.
    client.post(decide, {"decision": "approve", "opinion": " "})
    assert not AvExemption.objects.get().approved
    client.post(decide, {"decision": "approve", "opinion": "同意，情况属实"})
    exemption = AvExemption.objects.get()
    assert exemption.approved
    signed = exemption.approval.approvals.get()
    assert (signed.approver, signed.opinion) == (head_zhang, "同意，情况属实")
    html = client.get(f"/activities/{activity.pk}/", **ZH).content.decode()
    assert "免于音像记录已批准" in html and "同意，情况属实" in html and "批准人 张伟" in html
    assert 'data-testid="exemption-approve"' not in html


def test_rejected_exemption_can_be_asked_again(
    client, officer_wang, officer_ma, head_zhang, case_a_two_officers
):
    activity = record(officer_wang, case_a_two_officers, [officer_wang, officer_ma])
    sign_in(client, officer_wang)
    client.post(f"/activities/{activity.pk}/exemption/", {"reason": REASON})
    sign_in(client, head_zhang)
    decide = f"/activities/{activity.pk}/exemption/decide/"
    client.post(decide, {"decision": "reject", "opinion": "应补录音像资料"})
    assert AvExemption.objects.get().rejected
    sign_in(client, officer_wang)
    html = client.get(f"/activities/{activity.pk}/", **ZH).content.decode()
    assert "免于音像记录未获批准" in html and "应补录音像资料" in html
    assert 'data-testid="exemption-still-needed"' in html
    assert 'data-testid="exemption-form"' in html  # ask again
    client.post(f"/activities/{activity.pk}/exemption/", {"reason": REASON + "补充说明。"})
    assert AvExemption.objects.count() == 2
    html = client.get(f"/activities/{activity.pk}/", **ZH).content.decode()
    assert 'data-testid="exemption-earlier"' in html and 'data-status="pending"' in html
    assert 'data-testid="exemption-form"' not in html


def test_bad_decision_is_404(client, officer_wang, officer_ma, head_zhang, case_a_two_officers):
    activity = record(officer_wang, case_a_two_officers, [officer_wang, officer_ma])
    sign_in(client, head_zhang)
    decide = f"/activities/{activity.pk}/exemption/decide/"
    assert client.post(decide, {"decision": "approve", "opinion": "同意"}).status_code == 404
    sign_in(client, officer_wang)
    client.post(f"/activities/{activity.pk}/exemption/", {"reason": REASON})
    sign_in(client, head_zhang)
    assert client.post(decide, {"decision": "maybe", "opinion": "同意"}).status_code == 404


def test_exemption_in_the_approval_inbox(
    client, officer_wang, officer_ma, head_zhang, case_a_two_officers
):
    """The exemption waits in the approval inbox like any other step, and is signed there."""
    activity = record(officer_wang, case_a_two_officers, [officer_wang, officer_ma])
    sign_in(client, officer_wang)
    client.post(f"/activities/{activity.pk}/exemption/", {"reason": REASON})
    exemption = AvExemption.objects.get()
    sign_in(client, head_zhang)
    html = client.get("/cases/approvals/", **ZH).content.decode()
    assert f'data-testid="approval-{exemption.approval_id}"' in html
    assert "免于音像记录" in html and REASON in html
    assert f'href="/activities/{activity.pk}/"' in html
    client.post(
        f"/cases/approvals/{exemption.approval_id}/decide/",
        {"decision": "approve", "opinion": "同意"},
    )
    assert AvExemption.objects.get().approved
    assert 'data-testid="approvals-empty"' in client.get("/cases/approvals/").content.decode()


@pytest.mark.parametrize("query", ["?case=abc", "?case=999999"])
def test_unknown_case_is_404(client, officer_wang, query):
    sign_in(client, officer_wang)
    assert client.get(f"/activities/new/{query}").status_code == 404


def test_subject_page_lists_its_activities(
    client, officer_wang, officer_ma, officer_li, case_a_two_officers
):
    shop = unit_subject(name="某农资经营部")
    record(officer_wang, case_a_two_officers, [officer_wang, officer_ma], party=shop)
    sign_in(client, officer_wang)
    html = client.get(f"/subjects/{shop.pk}/", **ZH).content.decode()
    assert 'data-testid="subject-activities"' in html and "现场检查（勘验）" in html
    sign_in(client, officer_li)  # another unit: the subject shows, the activity does not
    html = client.get(f"/subjects/{shop.pk}/", **ZH).content.decode()
    assert "现场检查（勘验）" not in html and "没有您可查阅的执法活动" in html
