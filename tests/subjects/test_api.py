"""Subjects over the API: access-filtered lists and counts, masked numbers, entry, 409."""

from __future__ import annotations

import pytest

from liuhen.cases.actions.registration import link_party
from liuhen.core import access
from liuhen.core.models import AuditEvent, Outcome
from liuhen.subjects.identifiers import mask_resident_id
from liuhen.subjects.models import Subject
from tests.factories import SYSTEM, denial, person, resident_id, unit_subject, uscc
from tests.fixtures.api import assert_error, client_for

pytestmark = pytest.mark.django_db


def test_list_is_filtered_counted_searched_and_masked(officer_li, agency_head_liu) -> None:
    number = resident_id(5)
    someone = person(number, name="钱小二")
    unit_subject(uscc(5), name="丰收合作社")
    person(resident_id(6), name="秘密", confidentiality="privacy")
    listed = client_for(officer_li).get("/subjects").json()
    assert listed["count"] == 2 == access.visible(officer_li, Subject.objects.all()).count()
    assert client_for(agency_head_liu).get("/subjects").json()["count"] == 3
    found = client_for(officer_li).get("/subjects", data={"q": number}).json()
    assert [item["id"] for item in found["items"]] == [someone.pk]
    item = found["items"][0]
    assert item["resident_id"] == mask_resident_id(number) and item["resident_id_masked"]
    units = client_for(officer_li).get("/subjects", data={"kind": "unit"}).json()
    assert [i["uscc"] for i in units["items"]] == [uscc(5)]


def test_detail_unmasks_only_for_those_allowed_and_logs_it(
    officer_wang, officer_li, case_a
) -> None:
    number = resident_id(7)
    subject = person(number)
    link_party(SYSTEM, case_a, subject)
    mine = client_for(officer_wang).get(f"/subjects/{subject.pk}").json()
    assert mine["resident_id"] == number and not mine["resident_id_masked"]
    assert mine["cases"] == [{"id": case_a.pk, "number": case_a.number, "role": "party"}]
    assert AuditEvent.objects.filter(action="subject.view_identifier").count() == 1
    theirs = client_for(officer_li).get(f"/subjects/{subject.pk}").json()
    assert theirs["resident_id"] == mask_resident_id(number) and theirs["resident_id_masked"]
    assert theirs["cases"] == []  # the case is another unit's


def test_invisible_subject_is_404(officer_li, sysadmin_zhao) -> None:
    hidden = person(confidentiality="state_secret")
    assert_error(client_for(officer_li).get(f"/subjects/{hidden.pk}"), 404, "not_found")
    assert_error(client_for(officer_li).get("/subjects/999999"), 404, "not_found")
    assert client_for(sysadmin_zhao).get("/subjects").json()["count"] == 0
    # Both attempts are audited alike: a hidden subject and a missing one look the same.
    assert denial("subject.view", object_id=str(hidden.pk)).actor_name == "officer_li"
    assert denial("subject.view", object_id="999999").actor_name == "officer_li"


def test_visible_subject_is_read_without_a_denial(officer_li) -> None:
    shown = person()
    assert client_for(officer_li).get(f"/subjects/{shown.pk}").json()["id"] == shown.pk
    assert not AuditEvent.objects.filter(outcome=Outcome.DENIED).exists()


def test_officer_enters_a_subject_and_a_duplicate_is_409(officer_wang) -> None:
    api = client_for(officer_wang)
    created = api.post("/subjects", {"kind": "unit", "name": "丰收合作社", "uscc": uscc(9)})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["uscc"] == uscc(9) and body["cases"] == []
    again = assert_error(
        api.post("/subjects", {"kind": "unit", "name": "另一个", "uscc": uscc(9)}), 409, "conflict"
    )
    assert again["details"] == {"existing_id": body["id"]}
    invalid = assert_error(
        api.post("/subjects", {"kind": "person", "name": "某", "resident_id": "123"}),
        422,
        "validation_error",
    )
    assert "resident_id" in invalid["details"]


def test_admin_may_not_enter_subjects(sysadmin_zhao) -> None:
    response = client_for(sysadmin_zhao).post("/subjects", {"kind": "project", "name": "项目"})
    assert_error(response, 403, "forbidden")
    assert not Subject.objects.exists()


def test_unknown_kind_filter_is_422(officer_wang) -> None:
    error = assert_error(
        client_for(officer_wang).get("/subjects", data={"kind": "galaxy"}), 422, "validation_error"
    )
    assert "kind" in error["details"]
