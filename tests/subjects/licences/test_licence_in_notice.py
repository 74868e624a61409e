"""A proposed suspension or revocation of a licence names the party's licence on the
advance notice (R8.1, R18.3); hearing eligibility follows from the penalty kind."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from liuhen.cases.actions.decisions import record_advance_notice
from liuhen.cases.actions.registration import link_party
from liuhen.subjects.licences import actions
from liuhen.subjects.models import LicenceType
from tests.factories import SYSTEM, unit_subject, uscc
from tests.fixtures.api import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def pesticide_licence_of_case_a_party(officer_wang, case_a):
    """A 农药经营许可证 of a party of case A, entered by hand."""
    shop = unit_subject(uscc(41), name="某农资店")
    link_party(SYSTEM, case_a, shop)
    return actions.add_licence(
        officer_wang,
        shop,
        licence_type=LicenceType.objects.get(name="农药经营许可证"),
        number="农药经许（辽）21110400555",
    )


def _notify(officer, case, kinds, licence):
    return record_advance_notice(
        officer,
        case,
        notified_at=timezone.now(),
        notified_to="某农资店",
        method="直接送达",
        penalty_kinds=kinds,
        licence=licence,
    )


def test_a_revocation_names_the_partys_licence(
    officer_wang, case_a, pesticide_licence_of_case_a_party
) -> None:
    notice = _notify(officer_wang, case_a, ["licence_revoke"], pesticide_licence_of_case_a_party)
    assert notice.licence == pesticide_licence_of_case_a_party
    assert "hearing" in notice.rights  # 吊销许可证件 carries the right to a hearing


def test_a_licence_is_refused_without_a_licence_penalty(
    officer_wang, case_a, pesticide_licence_of_case_a_party
) -> None:
    with pytest.raises(ValidationError, match="暂扣或者吊销"):
        _notify(officer_wang, case_a, ["warning"], pesticide_licence_of_case_a_party)


def test_another_subjects_licence_is_refused(officer_wang, case_a) -> None:
    stranger = unit_subject(uscc(42), name="无关企业")
    other = actions.add_licence(
        officer_wang,
        stranger,
        licence_type=LicenceType.objects.get(name="兽药经营许可证"),
        number="兽药经营证字（2024）0001",
    )
    with pytest.raises(ValidationError, match="不是本案当事人的许可证件"):
        _notify(officer_wang, case_a, ["licence_suspend"], other)


def _notice_over_api(officer, case, licence_id):
    return client_for(officer).post(
        f"/cases/{case.pk}/advance-notices",
        {
            "notified_at": "2026-03-02T10:00:00",
            "notified_to": "某农资店",
            "method": "直接送达",
            "penalty_kinds": ["licence_revoke"],
            "licence_id": licence_id,
        },
    )


def test_the_api_names_the_licence_and_reads_it_back(
    officer_wang, case_a, pesticide_licence_of_case_a_party
) -> None:
    answer = _notice_over_api(officer_wang, case_a, pesticide_licence_of_case_a_party.pk)
    assert answer.status_code == 201, answer.content
    assert answer.json()["licence_id"] == pesticide_licence_of_case_a_party.pk
    listed = client_for(officer_wang).get(f"/cases/{case_a.pk}/advance-notices").json()
    assert listed["items"][0]["licence_id"] == pesticide_licence_of_case_a_party.pk


def test_the_api_refuses_a_licence_of_no_party(officer_wang, case_a) -> None:
    stranger = unit_subject(uscc(43), name="无关企业")
    other = actions.add_licence(
        officer_wang,
        stranger,
        licence_type=LicenceType.objects.get(name="兽药经营许可证"),
        number="兽药经营证字（2024）0002",
    )
    answer = _notice_over_api(officer_wang, case_a, other.pk)
    assert answer.status_code == 422
    assert "不是本案当事人的许可证件" in answer.content.decode()
