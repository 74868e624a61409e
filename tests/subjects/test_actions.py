"""Entering, correcting, merging and linking subjects through the actions (R18.3)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from liuhen.cases.actions.registration import link_party
from liuhen.core.access import AccessDenied
from liuhen.core.models import AuditEvent, Outcome
from liuhen.subjects import actions
from liuhen.subjects.models import CaseParty, PartyRole, Subject
from tests.factories import SYSTEM, CaseFactory, person, resident_id, unit_subject, uscc

pytestmark = pytest.mark.django_db


def test_officer_enters_a_unit_and_it_is_audited(officer_wang) -> None:
    subject = unit_subject(
        uscc(7), actor=officer_wang, legal_representative="钱大", resident_id="110"
    )
    assert subject.kind == "unit" and subject.uscc == uscc(7)
    assert subject.created_by == officer_wang
    event = AuditEvent.objects.get(action="subject.create")
    assert event.object_id == str(subject.pk) and event.actor_name == "officer_wang"
    assert event.details["fields"] == ["legal_representative", "uscc"]


def test_fields_of_other_kinds_are_dropped() -> None:
    subject = actions.create_subject(
        SYSTEM, kind="vehicle", name="农用运输车", plate="辽L·12345", uscc=uscc(3)
    )
    assert (subject.plate, subject.uscc) == ("辽L12345", "")


@pytest.mark.parametrize(
    ("kind", "values", "field", "text"),
    [
        ("unit", {"uscc": "91110000600037341M"}, "uscc", "统一社会信用代码"),
        ("person", {"resident_id": "110105194912310021"}, "resident_id", "居民身份证号码"),
        ("vehicle", {"plate": ""}, "plate", "号牌"),
        ("galaxy", {}, "kind", "类别"),
    ],
)
def test_invalid_identifiers_are_refused_with_a_chinese_message(kind, values, field, text) -> None:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        actions.create_subject(SYSTEM, kind=kind, name="某某", **values)
    assert field in refused.value.message_dict
    assert text in " ".join(refused.value.message_dict[field])
    assert not Subject.objects.exists()


def test_a_name_is_required() -> None:
    with pytest.raises(ValidationError) as refused:
        actions.create_subject(SYSTEM, kind="project", name="  ")
    assert "name" in refused.value.message_dict


@pytest.mark.parametrize(
    ("make", "again"),
    [
        (lambda: unit_subject(uscc(5)), lambda: unit_subject(uscc(5).lower(), name="另一名称")),
        (lambda: person(resident_id(9)), lambda: person(" " + resident_id(9).lower(), name="x")),
        (
            lambda: actions.create_subject(SYSTEM, kind="vehicle", name="车", plate="辽L12345"),
            lambda: actions.create_subject(SYSTEM, kind="vehicle", name="车", plate="辽l·12345"),
        ),
        (
            lambda: actions.create_subject(SYSTEM, kind="project", name="甲", project_code="P-1"),
            lambda: actions.create_subject(SYSTEM, kind="project", name="乙", project_code="p1"),
        ),
    ],
)
def test_duplicates_are_refused_and_name_the_existing_record(make, again) -> None:
    first = make()
    with pytest.raises(actions.DuplicateSubject) as refused:
        again()
    assert refused.value.existing == first
    assert str(first.pk) in " ".join(refused.value.messages)
    assert Subject.objects.count() == 1


def test_duplicate_of_a_restricted_record_is_not_named_to_an_outsider(officer_wang) -> None:
    hidden = unit_subject(uscc(8), name="机密单位", confidentiality="state_secret")
    with pytest.raises(actions.DuplicateSubject) as refused:
        unit_subject(uscc(8), actor=officer_wang, name="另一个")
    assert refused.value.existing == hidden
    assert "机密单位" not in " ".join(refused.value.messages)
    assert str(hidden.pk) not in " ".join(refused.value.messages)


def test_update_keeps_the_number_unless_a_new_one_is_given(officer_wang, case_a) -> None:
    subject = person(resident_id(1))
    link_party(officer_wang, case_a, subject)
    actions.update_subject(officer_wang, subject, name="赵大海", address="大洼区", resident_id="")
    subject.refresh_from_db()
    assert subject.resident_id() == resident_id(1) and subject.address == "大洼区"
    actions.update_subject(officer_wang, subject, resident_id=resident_id(2))
    subject.refresh_from_db()
    assert subject.resident_id() == resident_id(2)
    changes = [e.details["fields"] for e in AuditEvent.objects.filter(action="subject.change")]
    assert changes == [["address"], ["resident_id"]]
    other = person(resident_id(3), name="孙")
    with pytest.raises(actions.DuplicateSubject):
        actions.update_subject(officer_wang, other, resident_id=resident_id(2))


def test_merge_moves_links_fills_gaps_and_is_audited(head_zhang, case_a, unit_a) -> None:
    keep = actions.create_subject(SYSTEM, kind="unit", name="某农资经营部")
    merge = unit_subject(uscc(4), name="某农资经营部（旧）", address="向海街", phone="0427-1")
    both = CaseFactory(unit=unit_a)
    link_party(SYSTEM, case_a, merge, PartyRole.PARTY)
    link_party(SYSTEM, both, keep, PartyRole.INTERESTED)
    link_party(SYSTEM, both, merge, PartyRole.PARTY)
    actions.merge_subjects(head_zhang, keep, merge)
    keep.refresh_from_db()
    merge.refresh_from_db()
    assert merge.merged_into == keep
    assert (keep.uscc, keep.address, keep.phone) == (uscc(4), "向海街", "0427-1")
    links = {link.case_id: link.role for link in CaseParty.objects.all()}
    assert links == {case_a.pk: PartyRole.PARTY, both.pk: PartyRole.PARTY}
    assert set(CaseParty.objects.values_list("subject_id", flat=True)) == {keep.pk}
    event = AuditEvent.objects.get(action="subject.merge")
    assert (event.details["kept"], event.details["merged"]) == (keep.pk, merge.pk)
    assert event.details["filled"] == ["address", "phone", "uscc"]
    # A new record with the merged identifier is still a duplicate: of the kept one.
    with pytest.raises(actions.DuplicateSubject) as refused:
        unit_subject(uscc(4))
    assert refused.value.existing == keep


def test_merge_takes_the_stricter_class_and_repoints_earlier_merges(agency_head_liu) -> None:
    keep = actions.create_subject(SYSTEM, kind="project", name="高标准农田")
    middle = actions.create_subject(
        SYSTEM, kind="project", name="高标准农田二", confidentiality="privacy"
    )
    old = actions.create_subject(SYSTEM, kind="project", name="高标准农田三")
    actions.merge_subjects(agency_head_liu, middle, old)
    actions.merge_subjects(agency_head_liu, keep, middle)
    keep.refresh_from_db()
    old.refresh_from_db()
    assert keep.confidentiality == "privacy" and old.merged_into == keep


@pytest.mark.parametrize("case", ["self", "kind", "identifiers", "merged"])
def test_merge_refusals(head_zhang, case) -> None:
    first = unit_subject(uscc(1))
    second = {
        "self": first,
        "kind": actions.create_subject(SYSTEM, kind="project", name="项目"),
        "identifiers": unit_subject(uscc(2), name="另一家"),
        "merged": actions.create_subject(SYSTEM, kind="unit", name="某农资经营部"),
    }[case]
    if case == "merged":
        actions.merge_subjects(head_zhang, first, second)
    with pytest.raises(ValidationError):
        actions.merge_subjects(head_zhang, first, second)
    assert not AuditEvent.objects.filter(action="subject.merge").count() > (case == "merged")


def test_officer_may_not_merge_and_the_denial_is_audited(officer_wang) -> None:
    first, second = unit_subject(uscc(1)), actions.create_subject(SYSTEM, kind="unit", name="甲")
    with pytest.raises(AccessDenied):
        actions.merge_subjects(officer_wang, first, second)
    assert AuditEvent.objects.get(action="subject.merge").outcome == Outcome.DENIED
    assert Subject.objects.get(pk=second.pk).merged_into is None


def test_link_party_needs_case_change_and_is_on_the_case_timeline(
    officer_wang, officer_li, case_a
) -> None:
    subject = person()
    with pytest.raises(AccessDenied):
        link_party(officer_li, case_a, subject)
    link = link_party(officer_wang, case_a, subject, PartyRole.INTERESTED)
    assert link.role == PartyRole.INTERESTED
    event = AuditEvent.objects.get(action="case.link_party", outcome=Outcome.OK)
    assert event.case_id == case_a.pk and event.details["role"] == "interested"
    with pytest.raises(ValidationError):
        link_party(officer_wang, case_a, subject)


def test_audit_details_never_hold_the_number(officer_wang, case_a) -> None:
    number = resident_id(77)
    subject = person(number, actor=officer_wang)
    link_party(officer_wang, case_a, subject)
    actions.update_subject(officer_wang, subject, resident_id=resident_id(78))
    for event in AuditEvent.objects.all():
        text = str(event.details)
        assert number not in text and resident_id(78) not in text
        assert number[6:14] not in text
