"""Subject pages: list and search, entry with duplicate refusal, the subject page with the
masked number and its logged reveal, merging, linking to a case."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liuhen.cases.actions.registration import link_party
from liuhen.core.models import AuditEvent, Outcome
from liuhen.subjects import actions
from liuhen.subjects.identifiers import mask_resident_id
from liuhen.subjects.models import CaseParty, Subject
from tests.factories import SYSTEM, denial, person, resident_id, sign_in, unit_subject, uscc

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    return sign_in(Client(), user)


def test_list_searches_by_name_credit_code_plate_and_full_id(officer_wang) -> None:
    unit = unit_subject(uscc(11), name="金穗农资经营部")
    someone = person(resident_id(12), name="钱小二")
    car = actions.create_subject(SYSTEM, kind="vehicle", name="农用车", plate="辽L·88888")
    client = _client(officer_wang)
    url = reverse("subjects:list")

    def found(q: str) -> set[int]:
        html = client.get(url, {"q": q}).content.decode()
        return {
            s.pk for s in (unit, someone, car) if reverse("subjects:detail", args=[s.pk]) in html
        }

    assert found("金穗") == {unit.pk}
    assert found(uscc(11).lower()) == {unit.pk}
    assert found("辽l88888") == {car.pk}
    assert found(resident_id(12)) == {someone.pk}
    assert found(resident_id(12)[:10]) == set()  # no partial search on ID numbers
    html = client.get(url).content.decode()
    assert mask_resident_id(resident_id(12)) in html and resident_id(12) not in html


def test_list_uses_a_constant_number_of_queries(officer_wang) -> None:
    client = _client(officer_wang)
    url = reverse("subjects:list")
    person(resident_id(1), name="一")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for serial in range(2, 22):
        person(resident_id(serial), name=f"人{serial}")
        unit_subject(uscc(serial), name=f"单位{serial}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


@pytest.mark.parametrize("persona", ["sysadmin_zhao", "secadmin_qian", "auditor_chen"])
def test_admins_are_refused_the_list(request, persona) -> None:
    client = _client(request.getfixturevalue(persona))
    assert client.get(reverse("subjects:list")).status_code == 403
    assert client.get(reverse("subjects:create")).status_code == 403


def test_officer_enters_a_person_and_sees_it_masked(officer_wang) -> None:
    client = _client(officer_wang)
    number = resident_id(31)
    response = client.post(
        reverse("subjects:create"),
        {"kind": "person", "name": "孙大壮", "resident_id": number, "confidentiality": "ordinary"},
    )
    subject = Subject.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("subjects:detail", args=[subject.pk])
    html = client.get(response["Location"]).content.decode()
    assert "孙大壮" in html and mask_resident_id(number) in html and number not in html
    assert 'data-testid="reveal-id"' not in html  # not on a case of theirs yet


def test_kind_switch_returns_only_that_kinds_fields(officer_wang) -> None:
    client = _client(officer_wang)
    html = client.get(
        reverse("subjects:create"), {"kind": "unit"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert 'name="uscc"' in html and 'name="resident_id"' not in html and "<html" not in html


def test_entry_errors_and_duplicates_are_shown_in_chinese(officer_wang) -> None:
    existing = unit_subject(uscc(41), name="丰收合作社")
    client = _client(officer_wang)
    url = reverse("subjects:create")
    bad = client.post(url, {"kind": "unit", "name": "甲", "uscc": "91110000600037341M"})
    assert bad.status_code == 422 and "统一社会信用代码不正确" in bad.content.decode()
    dup = client.post(
        url, {"kind": "unit", "name": "乙", "uscc": uscc(41), "confidentiality": "ordinary"}
    )
    html = dup.content.decode()
    assert dup.status_code == 422 and "该执法对象已登记" in html
    assert reverse("subjects:detail", args=[existing.pk]) in html
    assert Subject.objects.count() == 1


def test_reveal_shows_the_number_and_is_logged(officer_wang, case_a) -> None:
    number = resident_id(51)
    subject = person(number)
    link_party(SYSTEM, case_a, subject)
    client = _client(officer_wang)
    page = client.get(reverse("subjects:detail", args=[subject.pk])).content.decode()
    assert 'data-testid="reveal-id"' in page and number not in page
    assert case_a.number in page  # the cases section
    shown = client.post(
        reverse("subjects:reveal", args=[subject.pk]), headers={"HX-Request": "true"}
    )
    assert number in shown.content.decode()
    event = AuditEvent.objects.get(action="subject.view_identifier")
    assert event.outcome == Outcome.OK and event.object_id == str(subject.pk)
    assert number not in str(event.details)


def test_reveal_is_refused_and_logged_for_others(supervisor_zheng, case_a) -> None:
    subject = person(resident_id(52))
    link_party(SYSTEM, case_a, subject)
    client = _client(supervisor_zheng)
    page = client.get(reverse("subjects:detail", args=[subject.pk])).content.decode()
    assert 'data-testid="reveal-id"' not in page
    assert client.post(reverse("subjects:reveal", args=[subject.pk])).status_code == 403
    assert AuditEvent.objects.get(action="subject.view_identifier").outcome == Outcome.DENIED


def test_restricted_subject_is_not_found_for_outsiders(officer_li) -> None:
    hidden = person(confidentiality="privacy")
    assert _client(officer_li).get(reverse("subjects:detail", args=[hidden.pk])).status_code == 404
    denied = denial("subject.view", object_type="subjects.subject", object_id=str(hidden.pk))
    assert denied.actor_name == "officer_li"


def test_an_ordinary_subject_opens_for_a_case_officer(officer_li) -> None:
    shown = person()
    response = _client(officer_li).get(reverse("subjects:detail", args=[shown.pk]))
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(outcome=Outcome.DENIED).exists()


HIDDEN_SUBJECT_PAGES = [
    ("get", "subjects:edit", "subject.change"),
    ("get", "subjects:merge", "subject.merge"),
    ("post", "subjects:reveal", "subject.view_identifier"),
]


@pytest.mark.parametrize(("method", "page", "permission"), HIDDEN_SUBJECT_PAGES)
def test_every_page_of_a_hidden_subject_answers_404_and_is_audited(
    head_zhang, method, page, permission
) -> None:
    # A unit head changes and merges subjects, but a restricted one outside their cases
    # is not there for them.
    hidden = person(confidentiality="privacy")
    response = getattr(_client(head_zhang), method)(reverse(page, args=[hidden.pk]))
    assert response.status_code == 404
    assert denial(permission, object_id=str(hidden.pk)).actor_name == "head_zhang"


@pytest.mark.parametrize(("page", "expected"), [("subjects:edit", 200), ("subjects:merge", 200)])
def test_the_pages_of_a_visible_subject_open(head_zhang, page, expected) -> None:
    shown = person()
    assert _client(head_zhang).get(reverse(page, args=[shown.pk])).status_code == expected
    assert not AuditEvent.objects.filter(outcome=Outcome.DENIED).exists()


def test_merging_with_a_hidden_duplicate_answers_404_and_is_audited(head_zhang) -> None:
    keep = unit_subject(uscc(81), name="丰收合作社")
    hidden = actions.create_subject(
        SYSTEM, kind="unit", name="丰收合作社", confidentiality="privacy"
    )
    url = reverse("subjects:merge", args=[keep.pk])
    assert _client(head_zhang).post(url, {"other": hidden.pk}).status_code == 404
    assert denial("subject.merge", object_id=str(hidden.pk)).actor_name == "head_zhang"
    hidden.refresh_from_db()
    assert hidden.merged_into is None


def test_edit_page_changes_details(officer_wang) -> None:
    subject = unit_subject(uscc(61))
    client = _client(officer_wang)
    url = reverse("subjects:edit", args=[subject.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "person",
            "name": "新名称",
            "uscc": uscc(61),
            "address": "新地址",
            "confidentiality": "ordinary",
        },
    )
    assert response.status_code == 302
    subject.refresh_from_db()
    assert (subject.kind, subject.name, subject.address) == ("unit", "新名称", "新地址")


def test_unit_head_merges_a_duplicate_on_the_merge_screen(head_zhang, officer_wang) -> None:
    keep = unit_subject(uscc(71), name="丰收合作社")
    duplicate = actions.create_subject(SYSTEM, kind="unit", name="丰收合作社")
    client = _client(head_zhang)
    url = reverse("subjects:merge", args=[keep.pk])
    chooser = client.get(url).content.decode()
    assert f"?other={duplicate.pk}" in chooser
    confirm = client.get(url, {"other": duplicate.pk}).content.decode()
    assert 'data-testid="merge-confirm"' in confirm
    response = client.post(url, {"other": duplicate.pk})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == keep
    merged_page = client.get(reverse("subjects:detail", args=[duplicate.pk])).content.decode()
    assert 'data-testid="merged-into"' in merged_page
    assert _client(officer_wang).get(url).status_code == 403


def test_officer_links_the_subject_to_their_case(officer_wang, case_a, case_b) -> None:
    subject = person()
    client = _client(officer_wang)
    page = client.get(reverse("subjects:detail", args=[subject.pk])).content.decode()
    assert case_a.number in page and case_b.number not in page  # only cases they may change
    response = client.post(
        reverse("cases:link_subject", args=[subject.pk]), {"case": case_a.pk, "role": "party"}
    )
    assert response.status_code == 302
    assert CaseParty.objects.get().case == case_a
    client.post(
        reverse("cases:link_subject", args=[subject.pk]), {"case": case_b.pk, "role": "party"}
    )
    assert CaseParty.objects.count() == 1


def test_another_units_officer_may_not_edit_the_party_of_a_case(
    case_a, officer_wang, officer_li
) -> None:
    """R18.3, R21.2: the party of unit A's case opens for unit B's officer, its edit page
    answers 403 (audited) and a POST changes nothing; the case's officer edits it."""
    party = unit_subject(uscc(62), name="丰收农资经营部")
    link_party(SYSTEM, case_a, party)
    url = reverse("subjects:edit", args=[party.pk])
    other = _client(officer_li)
    assert other.get(reverse("subjects:detail", args=[party.pk])).status_code == 200
    assert other.get(url).status_code == 403
    assert denial("subject.change", object_id=str(party.pk)).actor_name == "officer_li"
    posted = {"kind": "unit", "name": "改名", "uscc": uscc(62), "confidentiality": "ordinary"}
    assert other.post(url, posted).status_code == 403
    party.refresh_from_db()
    assert party.name == "丰收农资经营部"
    detail = other.get(reverse("subjects:detail", args=[party.pk])).content.decode()
    assert url not in detail
    worker = _client(officer_wang)
    assert worker.get(url).status_code == 200
    assert worker.post(url, posted).status_code == 302
    party.refresh_from_db()
    assert party.name == "改名"
