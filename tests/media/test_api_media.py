"""AV records over the API (R14.1, R16.1): the register, one record, its suggestions, and
links, labels and marks — the same actions and access policy as the pages. A record the
caller may not see is 404; a refused action 403; an invalid one 422; a change of the
record itself 405, audited."""

from __future__ import annotations

import pytest

from liuhen.core.models import AuditEvent, Outcome
from liuhen.media.actions import curation
from liuhen.media.models import AvLink, AvProbe
from tests.fixtures.api import (
    API,
    ApiClient,
    assert_error,
    bearer,
    client_for,
    device_token,
)
from tests.fixtures.clock import hours_ago
from tests.media.linking import M, activity, av, case_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("activity_types")]


@pytest.fixture
def recorded_clip(officer_wang, recorder, inspection_5h_ago):
    return av(
        officer_wang,
        officer=officer_wang,
        device=recorder,
        captured_at=inspection_5h_ago.started_at + 10 * M,
        probed=False,
    )


@pytest.fixture
def li_clip(officer_li):
    return av(officer_li, officer=officer_li, captured_at=hours_ago(2))


# --- reading --------------------------------------------------------------------------


def test_list_is_the_register(officer_wang, custodian_zhou, sysadmin_zhao, recorded_clip, li_clip):
    mine = client_for(officer_wang).get("/media").json()
    assert mine["count"] == 1
    [item] = mine["items"]
    assert item["id"] == recorded_clip.pk and item["device_serial"] == "DSJ0001"
    assert item["officer"] == "officer_wang" and item["officer_name"] == "王明"
    assert not item["linked"] and item["links"] == [] and not item["important"]
    assert client_for(custodian_zhou).get("/media").json()["count"] == 2
    unit = recorded_clip.unit_id
    assert client_for(custodian_zhou).get("/media", data={"unit": unit}).json()["count"] == 1
    assert client_for(custodian_zhou).get("/media", data={"device": "0001"}).json()["count"] == 1
    assert (
        client_for(officer_wang).get("/media", data={"mine_unlinked": "true"}).json()["count"] == 1
    )
    assert_error(client_for(sysadmin_zhao).get("/media"), 403, "forbidden")


def test_list_filters_linked_and_important(
    officer_wang, custodian_zhou, recorded_clip, li_clip, inspection_5h_ago
):
    curation.confirm_suggestion(officer_wang, recorded_clip, inspection_5h_ago)
    curation.mark(custodian_zhou, recorded_clip, important=True)
    api = client_for(custodian_zhou)
    linked = api.get("/media", data={"linked": "yes", "important": "true"}).json()
    assert [i["id"] for i in linked["items"]] == [recorded_clip.pk]
    [link] = linked["items"][0]["links"]
    assert (
        link["activity_id"] == inspection_5h_ago.pk
        and link["case_number"] == inspection_5h_ago.case.number
    )
    assert [i["id"] for i in api.get("/media", data={"linked": "no"}).json()["items"]] == [
        li_clip.pk
    ]
    assert_error(api.get("/media", data={"date_from": "not a date"}), 422, "validation_error")


def test_detail_with_digests_probe_links_label_mark(
    officer_wang, custodian_zhou, recorded_clip, inspection_5h_ago
):
    AvProbe.objects.create(
        record=recorded_clip, duration=12.5, video_codec="h264", width=1280, height=720
    )
    curation.confirm_suggestion(officer_wang, recorded_clip, inspection_5h_ago)
    curation.label(custodian_zhou, recorded_clip, "现场检查")
    curation.mark(custodian_zhou, recorded_clip, important=True, reason="关键证据")
    body = client_for(officer_wang).get(f"/media/{recorded_clip.pk}").json()
    assert body["sha256"] == recorded_clip.blob.sha256 and body["sm3"] == recorded_clip.blob.sm3
    assert body["size"] == recorded_clip.blob.size
    assert body["probe"]["duration"] == 12.5 and body["probe"]["video_codec"] == "h264"
    assert body["duration"] == 12.5
    assert body["label"] == "现场检查" and body["labels"][0]["by"] == "custodian_zhou"
    assert body["important"] and body["marks"][0]["reason"] == "关键证据"
    [link] = body["all_links"]
    assert link["kind"] == "suggested" and link["visible"] and not link["withdrawn"]


def test_detail_404_for_records_the_caller_may_not_see(officer_wang, li_clip):
    assert_error(client_for(officer_wang).get(f"/media/{li_clip.pk}"), 404, "not_found")
    assert_error(client_for(officer_wang).get("/media/999999"), 404, "not_found")
    assert_error(client_for(officer_wang).get(f"/media/{li_clip.pk}/suggestions"), 404, "not_found")
    for path, data in (
        ("links", {"case_number": "x"}),
        ("labels", {"text": "x"}),
        ("marks", {"important": True}),
    ):
        assert_error(
            client_for(officer_wang).post(f"/media/{li_clip.pk}/{path}", data), 404, "not_found"
        )
    # Every attempt is on record as a denied view, naming the id asked for.
    denied = AuditEvent.objects.filter(action="media.view", outcome=Outcome.DENIED)
    assert sorted(denied.values_list("object_id", flat=True)) == sorted(
        [str(li_clip.pk)] * 5 + ["999999"]
    )
    assert not AvLink.objects.exists()


def test_detail_of_a_visible_record_records_no_denial(officer_wang, recorded_clip):
    assert (
        client_for(officer_wang).get(f"/media/{recorded_clip.pk}").json()["id"] == recorded_clip.pk
    )
    assert not AuditEvent.objects.filter(outcome=Outcome.DENIED).exists()


def test_device_tokens_read_no_register(recorded_clip):
    client = ApiClient(device_token("CJZ09"))
    assert_error(client.get("/media"), 403, "forbidden")
    assert_error(client.get(f"/media/{recorded_clip.pk}"), 404, "not_found")
    deleted = client.client.delete(f"{API}/media/{recorded_clip.pk}", headers=bearer(client.token))
    assert_error(deleted, 405, "method_not_allowed")
    event = AuditEvent.objects.get(action="media.modify")
    assert (event.actor_type, event.actor_id) == ("device", "CJZ09")


def test_suggestions(
    officer_wang, officer_li, recorded_clip, inspection_5h_ago, case_a_two_officers
):
    [suggestion] = client_for(officer_wang).get(f"/media/{recorded_clip.pk}/suggestions").json()
    assert (
        suggestion["activity_id"] == inspection_5h_ago.pk
        and suggestion["case_number"] == case_a_two_officers.number
    )
    assert suggestion["activity_type"] == "inspection" and suggestion["distance_seconds"] == 0


# --- curation -------------------------------------------------------------------------


def test_confirm_a_suggestion_and_withdraw_it(officer_wang, recorded_clip, inspection_5h_ago):
    api = client_for(officer_wang)
    response = api.post(
        f"/media/{recorded_clip.pk}/links", {"activity_id": inspection_5h_ago.pk, "suggested": True}
    )
    assert response.status_code == 201, response.content
    [link] = response.json()["links"]
    assert link["kind"] == "suggested" and response.json()["linked"]
    assert api.get(f"/media/{recorded_clip.pk}/suggestions").json() == []
    withdrawn = api.post(
        f"/media/{recorded_clip.pk}/links/{link['id']}/withdraw", {"reason": "关联错误"}
    )
    assert withdrawn.status_code == 201
    body = withdrawn.json()
    assert body["links"] == [] and body["all_links"][0]["withdrawn_reason"] == "关联错误"
    assert_error(
        api.post(f"/media/{recorded_clip.pk}/links/{link['id']}/withdraw", {"reason": "再次"}),
        422,
        "validation_error",
    )
    assert_error(
        api.post(f"/media/{recorded_clip.pk}/links/999999/withdraw", {"reason": "x"}),
        404,
        "not_found",
    )


def test_manual_links_by_case_id_number_and_activity(
    officer_wang, officer_ma, case_a_two_officers, recorded_clip, inspection_5h_ago
):
    api = client_for(officer_wang)
    by_id = api.post(
        f"/media/{recorded_clip.pk}/links", {"case_id": case_a_two_officers.pk, "evidence": True}
    )
    assert by_id.status_code == 201
    assert by_id.json()["links"][0]["evidence"] and by_id.json()["links"][0]["kind"] == "manual"
    other = case_of(case_a_two_officers.unit, [officer_wang], number="洼农（种子）立〔2026〕5号")
    assert (
        api.post(f"/media/{recorded_clip.pk}/links", {"case_number": other.number}).status_code
        == 201
    )
    assert (
        api.post(
            f"/media/{recorded_clip.pk}/links", {"activity_id": inspection_5h_ago.pk}
        ).status_code
        == 201
    )
    assert AvLink.objects.filter(record=recorded_clip).count() == 3
    error = assert_error(
        api.post(f"/media/{recorded_clip.pk}/links", {"case_id": case_a_two_officers.pk}),
        422,
        "validation_error",
    )
    assert "case" in error["details"]
    assert_error(api.post(f"/media/{recorded_clip.pk}/links", {}), 422, "validation_error")


def test_not_a_suggestion_is_422(officer_wang, officer_ma, case_a_two_officers, recorded_clip):
    elsewhere = activity(
        officer_wang, case_a_two_officers, [officer_wang, officer_ma], hours_ago(40)
    )
    error = assert_error(
        client_for(officer_wang).post(
            f"/media/{recorded_clip.pk}/links", {"activity_id": elsewhere.pk, "suggested": True}
        ),
        422,
        "validation_error",
    )
    assert "activity" in error["details"]


def test_refused_actions_are_403(
    custodian_zhou, head_zhang, officer_wang, recorded_clip, case_a_two_officers
):
    # The custodian may not file it in a case; the unit head may read it, not link or mark it.
    error = assert_error(
        client_for(custodian_zhou).post(
            f"/media/{recorded_clip.pk}/links", {"case_id": case_a_two_officers.pk}
        ),
        403,
        "forbidden",
    )
    assert error["details"] == {"action": "case.change"}
    assert_error(
        client_for(head_zhang).post(f"/media/{recorded_clip.pk}/marks", {"important": True}),
        403,
        "forbidden",
    )
    assert_error(
        client_for(officer_wang).post(f"/media/{recorded_clip.pk}/labels", {"text": "x"}),
        403,
        "forbidden",
    )
    assert not AvLink.objects.exists()


def test_invisible_targets_are_404(officer_wang, officer_li, unit_b, recorded_clip):
    case_b = case_of(unit_b, [officer_li])
    hidden = activity(officer_li, case_b, [officer_li], hours_ago(5), code="other")
    api = client_for(officer_wang)
    assert_error(
        api.post(f"/media/{recorded_clip.pk}/links", {"case_id": case_b.pk}), 404, "not_found"
    )
    assert_error(
        api.post(f"/media/{recorded_clip.pk}/links", {"activity_id": hidden.pk}), 404, "not_found"
    )
    denied = AuditEvent.objects.filter(outcome=Outcome.DENIED)
    assert {(e.action, e.object_type, e.object_id) for e in denied} == {
        ("case.view", "cases.case", str(case_b.pk)),
        ("activity.view", "activities.activity", str(hidden.pk)),
    }
    assert_error(
        api.post(f"/media/{recorded_clip.pk}/links", {"case_number": case_b.number}),
        422,
        "validation_error",
    )


def test_label_and_mark(custodian_zhou, officer_wang, recorded_clip):
    api = client_for(custodian_zhou)
    labelled = api.post(f"/media/{recorded_clip.pk}/labels", {"text": "现场检查"})
    assert labelled.status_code == 201 and labelled.json()["label"] == "现场检查"
    assert_error(
        api.post(f"/media/{recorded_clip.pk}/labels", {"text": "现场检查"}), 422, "validation_error"
    )
    marked = client_for(officer_wang).post(f"/media/{recorded_clip.pk}/marks", {"important": True})
    assert marked.status_code == 201 and marked.json()["important"]
    unmarked = api.post(f"/media/{recorded_clip.pk}/marks", {"important": False, "reason": "误标"})
    assert unmarked.status_code == 201 and not unmarked.json()["important"]
    assert_error(
        api.post(f"/media/{recorded_clip.pk}/marks", {"important": False}), 422, "validation_error"
    )


# --- the record itself is never changed (R14.1) ----------------------------------------


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_changing_a_record_is_refused_and_audited(method, custodian_zhou, recorded_clip):
    api = client_for(custodian_zhou)
    response = api.client.generic(
        method,
        f"{API}/media/{recorded_clip.pk}",
        '{"original_name": "cut.mp4"}',
        content_type="application/json",
        headers=bearer(api.token),
    )
    error = assert_error(response, 405, "method_not_allowed")
    assert error["details"] == {"record_id": recorded_clip.pk} and response["Allow"] == "GET"
    event = AuditEvent.objects.get(action="media.modify")
    assert event.outcome == Outcome.DENIED and event.object_id == str(recorded_clip.pk)
    assert event.details == {"attempted": method.lower()}
    assert event.actor_id == str(custodian_zhou.pk)
    recorded_clip.refresh_from_db()
    assert recorded_clip.original_name == "clip.mp4"


def test_changing_an_invisible_record_is_refused_without_naming_it(officer_wang, li_clip):
    api = client_for(officer_wang)
    response = api.client.delete(f"{API}/media/{li_clip.pk}", headers=bearer(api.token))
    assert_error(response, 405, "method_not_allowed")
    event = AuditEvent.objects.get(action="media.modify")
    assert event.outcome == Outcome.DENIED and event.object_id == ""


def test_other_methods_on_subresources_are_json_405(officer_wang, recorded_clip):
    api = client_for(officer_wang)
    response = api.client.delete(
        f"{API}/media/{recorded_clip.pk}/suggestions", headers=bearer(api.token)
    )
    assert_error(response, 405, "method_not_allowed")


def test_a_list_page_takes_a_constant_number_of_queries(
    officer_wang, custodian_zhou, recorded_clip, inspection_5h_ago, django_assert_max_num_queries
):
    api = client_for(custodian_zhou)
    api.get("/media")
    with django_assert_max_num_queries(8) as few:
        assert api.get("/media").json()["count"] == 1
    for n in range(15):
        record = av(
            officer_wang,
            officer=officer_wang,
            captured_at=inspection_5h_ago.started_at,
            probed=False,
        )
        curation.confirm_suggestion(officer_wang, record, inspection_5h_ago)
        curation.label(custodian_zhou, record, f"标注{n}")
        AvProbe.objects.create(record=record, duration=float(n))
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = api.get("/media").json()
    assert body["count"] == 16 and all(item["links"] for item in body["items"][:15])
