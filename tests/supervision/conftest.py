from __future__ import annotations

import pytest

from liuhen.accounts.models import Role
from tests.activities.helpers import seed_types
from tests.factories import CaseFactory, CertificateFactory, UserFactory


@pytest.fixture(autouse=True)
def activity_types(db):
    seed_types()


@pytest.fixture
def officer_ma(unit_a):
    user = UserFactory(username="officer_ma", full_name="马骏", unit=unit_a, roles=[Role.OFFICER])
    CertificateFactory(officer=user)
    return user


@pytest.fixture
def case_a(unit_a, officer_wang, officer_ma):
    return CaseFactory(unit=unit_a, officers=[officer_wang, officer_ma])


@pytest.fixture
def case_b(unit_b, officer_li):
    return CaseFactory(unit=unit_b, officers=[officer_li])
