"""Registering a case: officers and unit heads of the unit only; audited; bad input refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from liuhen.cases.actions import registration
from liuhen.cases.models import Case
from liuhen.core import access
from liuhen.core.models import AuditEvent, Outcome

pytestmark = pytest.mark.django_db


def test_officer_registers_a_case_of_their_unit(officer_wang, unit_a) -> None:
    case = registration.create_case(
        officer_wang,
        number="洼农立〔2026〕9号",
        title="某农资店案",
        unit=unit_a,
        officers=[officer_wang],
    )
    assert list(case.officers.all()) == [officer_wang]
    event = AuditEvent.objects.get(action="case.create")
    assert (event.case_id, event.actor_name, event.outcome) == (case.pk, "officer_wang", Outcome.OK)


def test_officer_may_not_register_for_another_unit(officer_wang, unit_b) -> None:
    with pytest.raises(access.AccessDenied):
        registration.create_case(officer_wang, number="N1", title="T", unit=unit_b)
    assert not Case.objects.exists()
    assert AuditEvent.objects.get().outcome == Outcome.DENIED


@pytest.mark.parametrize(
    "persona", ["sysadmin_zhao", "auditor_chen", "supervisor_zheng", "reviewer_sun"]
)
def test_other_roles_may_not_register(request, persona, unit_a) -> None:
    with pytest.raises(access.AccessDenied):
        registration.create_case(
            request.getfixturevalue(persona), number="N1", title="T", unit=unit_a
        )


def test_duplicate_number_and_blank_title_are_refused(head_zhang, unit_a) -> None:
    registration.create_case(head_zhang, number="N1", title="T", unit=unit_a)
    with pytest.raises(ValidationError, match=r"已被使用|in use"):
        registration.create_case(head_zhang, number="N1", title="T2", unit=unit_a)
    with pytest.raises(ValidationError):
        registration.create_case(head_zhang, number="N2", title="  ", unit=unit_a)
    assert Case.objects.count() == 1
