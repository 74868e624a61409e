"""Subject access rules, each allowed and denied (R18.3, R18.5, R21.2, 三员)."""

from __future__ import annotations

import pytest

from liuhen.cases.actions.registration import link_party
from liuhen.core import access
from liuhen.core.confidentiality import Confidentiality
from liuhen.subjects.models import Subject
from tests.factories import SYSTEM, CaseFactory, person

pytestmark = pytest.mark.django_db

CASE_READERS = [
    "officer_wang",
    "officer_li",
    "head_zhang",
    "agency_head_liu",
    "reviewer_sun",
    "custodian_zhou",
    "archivist_wu",
    "supervisor_zheng",
]
ADMINS = ["sysadmin_zhao", "secadmin_qian", "auditor_chen"]


def _visible(user) -> list[Subject]:
    return list(access.visible(user, Subject.objects.all()))


@pytest.fixture
def ordinary(case_a):
    subject = person()
    link_party(SYSTEM, case_a, subject)
    return subject


@pytest.mark.parametrize("persona", CASE_READERS)
def test_case_roles_list_and_view_ordinary_subjects(request, persona, ordinary) -> None:
    user = request.getfixturevalue(persona)
    assert access.can(user, "subject.list")
    assert access.can(user, "subject.view", ordinary)
    assert _visible(user) == [ordinary]


@pytest.mark.parametrize("persona", ADMINS)
def test_the_three_admins_never_read_subjects(request, persona, ordinary) -> None:
    user = request.getfixturevalue(persona)
    for action in ("subject.list", "subject.view", "subject.view_identifier"):
        assert not access.can(user, action, ordinary)
    assert _visible(user) == []


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("officer_wang", True),
        ("head_zhang", True),
        ("officer_li", True),
        ("agency_head_liu", False),
        ("reviewer_sun", False),
        ("supervisor_zheng", False),
        ("archivist_wu", False),
        ("custodian_zhou", False),
        ("sysadmin_zhao", False),
    ],
)
def test_create_and_change_are_for_officers_and_unit_heads(request, persona, allowed) -> None:
    user = request.getfixturevalue(persona)
    unlinked = person()  # in no case yet: any officer who reads it keeps it right
    assert access.can(user, "subject.create") is allowed
    assert access.can(user, "subject.change", unlinked) is allowed


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("officer_wang", True),  # works the case the subject is a party to
        ("head_zhang", True),  # heads that case's unit
        ("officer_li", False),  # another unit's officer: reads the party, does not change it
        ("officer_ma", False),  # the unit's officer who does not work that case
        ("agency_head_liu", False),
        ("reviewer_sun", False),
    ],
)
def test_the_party_of_a_case_is_changed_by_whoever_works_the_case(
    request, persona, allowed, ordinary
) -> None:
    """R18.3, R21.2: changing a party is working its case (the reach of "case.change")."""
    user = request.getfixturevalue(persona)
    assert access.can(user, "subject.view", ordinary)
    assert access.can(user, "subject.change", ordinary) is allowed


def test_a_party_of_ones_own_case_too_is_changed_by_another_units_officer(
    officer_li, ordinary, case_b
) -> None:
    assert not access.can(officer_li, "subject.change", ordinary)
    link_party(SYSTEM, case_b, ordinary)
    assert access.can(officer_li, "subject.change", ordinary)


def test_the_unit_head_does_not_change_the_party_of_a_state_secret_case_alone(
    head_zhang, officer_wang, unit_a
) -> None:
    secret = CaseFactory(
        unit=unit_a, officers=[officer_wang], confidentiality=Confidentiality.STATE_SECRET
    )
    party = person()
    link_party(SYSTEM, secret, party)
    assert access.can(officer_wang, "subject.change", party)
    assert not access.can(head_zhang, "subject.change", party)


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("head_zhang", True),
        ("agency_head_liu", True),
        ("officer_wang", False),
        ("reviewer_sun", False),
        ("supervisor_zheng", False),
        ("sysadmin_zhao", False),
    ],
)
def test_merge_is_for_heads(request, persona, allowed, ordinary) -> None:
    assert access.can(request.getfixturevalue(persona), "subject.merge", ordinary) is allowed


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("officer_wang", True),  # assigned to the subject's case
        ("head_zhang", True),  # head of that case's unit
        ("agency_head_liu", True),
        ("reviewer_sun", True),
        ("officer_li", False),  # another unit's officer
        ("custodian_zhou", False),
        ("supervisor_zheng", False),
        ("archivist_wu", False),
        ("sysadmin_zhao", False),
        ("secadmin_qian", False),
        ("auditor_chen", False),
    ],
)
def test_full_id_number_only_for_those_working_the_case(
    request, persona, allowed, ordinary
) -> None:
    user = request.getfixturevalue(persona)
    assert access.can(user, "subject.view_identifier", ordinary) is allowed


def test_the_officer_who_entered_it_sees_it_masked_until_on_a_case(officer_wang, case_a) -> None:
    subject = person(actor=officer_wang)
    assert not access.can(officer_wang, "subject.view_identifier", subject)
    link_party(officer_wang, case_a, subject)
    assert access.can(officer_wang, "subject.view_identifier", subject)


@pytest.mark.parametrize(
    ("confidentiality", "persona", "allowed"),
    [
        ("privacy", "officer_wang", True),  # assigned
        ("privacy", "head_zhang", True),  # head of the case's unit
        ("privacy", "agency_head_liu", True),
        ("privacy", "officer_li", False),
        ("privacy", "supervisor_zheng", False),
        ("privacy", "reviewer_sun", False),
        ("trade_secret", "head_zhang", True),
        ("trade_secret", "archivist_wu", False),
        ("state_secret", "officer_wang", True),
        ("state_secret", "agency_head_liu", True),
        ("state_secret", "head_zhang", False),
        ("state_secret", "officer_li", False),
    ],
)
def test_restricted_subjects_are_narrowed_like_cases(
    request, case_a, confidentiality, persona, allowed
) -> None:
    subject = person(confidentiality=confidentiality)
    link_party(SYSTEM, case_a, subject)
    user = request.getfixturevalue(persona)
    assert access.can(user, "subject.view", subject) is allowed
    assert (subject in _visible(user)) is allowed


def test_the_enterer_sees_their_restricted_subject(officer_li) -> None:
    subject = person(actor=officer_li, confidentiality="state_secret")
    assert access.can(officer_li, "subject.view", subject)
    assert _visible(officer_li) == [subject]


def test_scope_counts_each_subject_once(unit_a, officer_wang, head_zhang) -> None:
    from tests.factories import CaseFactory

    subject = person(confidentiality="privacy")
    for _ in range(3):
        link_party(SYSTEM, CaseFactory(unit=unit_a, officers=[officer_wang]), subject)
    assert access.visible(officer_wang, Subject.objects.all()).count() == 1
    assert access.visible(head_zhang, Subject.objects.all()).count() == 1
