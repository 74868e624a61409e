from __future__ import annotations

import pytest

from tests.activities.helpers import seed_types
from tests.factories import CaseFactory


@pytest.fixture(autouse=True)
def activity_types(db):
    seed_types()


@pytest.fixture
def case_a(unit_a, officer_wang, officer_ma):
    """Unit A's case worked by 王明 and 马骏: an on-site act needs two certified officers
    (R4.2), so the activities' case has both."""
    return CaseFactory(unit=unit_a, officers=[officer_wang, officer_ma])
