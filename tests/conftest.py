"""Named personas, so every permission test reads like a sentence.

unit A = 种植业执法科, unit B = 畜牧兽医执法科.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from liuhen.accounts.models import Role, Unit, User
from tests.factories import (
    BureauFactory,
    CaseFactory,
    CertificateFactory,
    UnitFactory,
    UserFactory,
)


@pytest.fixture(autouse=True, scope="session")
def _chain_test_events():
    """The audit log's tests write events of their own vocabulary (tests/vocabulary.py)."""
    from liuhen.core import registry
    from tests.vocabulary import ChainTestEvents

    if ChainTestEvents.EVENT not in registry.events:
        registry.events.declare(ChainTestEvents)


@pytest.fixture(autouse=True)
def _fresh_config_cache():
    """Rules and holidays are cached per process; each test starts from its own database."""
    from liuhen.core import confcache

    confcache.invalidate()
    yield
    confcache.invalidate()


# A working Wednesday at noon in Asia/Shanghai: "30 hours ago" and "two days ago" fall on
# the same local dates whatever hour the suite runs at.
LOCAL_MIDDAY = dt.datetime(2026, 6, 10, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def local_midday(time_machine):
    """The clock at :data:`LOCAL_MIDDAY`, still ticking: for tests that compare local dates."""
    time_machine.move_to(LOCAL_MIDDAY, tick=True)
    return LOCAL_MIDDAY


@pytest.fixture
def bureau(db):
    return BureauFactory()


@pytest.fixture
def unit_a(bureau) -> Unit:
    return UnitFactory(bureau=bureau, name="种植业执法科")


@pytest.fixture
def unit_b(bureau) -> Unit:
    return UnitFactory(bureau=bureau, name="畜牧兽医执法科")


def _person(username: str, full_name: str, roles: list[str], unit: Unit | None = None) -> User:
    user = UserFactory(username=username, full_name=full_name, unit=unit, roles=roles)
    if Role.OFFICER in roles or Role.UNIT_HEAD in roles:
        CertificateFactory(officer=user)
    return user


@pytest.fixture
def officer_wang(unit_a) -> User:
    return _person("officer_wang", "王明", [Role.OFFICER], unit_a)


@pytest.fixture
def officer_ma(unit_a) -> User:
    """王明's colleague in unit A: on-site acts need two certified officers (R4.2)."""
    return _person("officer_ma", "马骏", [Role.OFFICER], unit_a)


@pytest.fixture
def officer_li(unit_b) -> User:
    return _person("officer_li", "李强", [Role.OFFICER], unit_b)


@pytest.fixture
def head_zhang(unit_a) -> User:
    return _person("head_zhang", "张伟", [Role.UNIT_HEAD, Role.OFFICER], unit_a)


@pytest.fixture
def agency_head_liu(unit_a) -> User:
    return _person("agency_head_liu", "刘建国", [Role.AGENCY_HEAD])


@pytest.fixture
def reviewer_sun(bureau) -> User:
    return _person("reviewer_sun", "孙丽", [Role.LEGAL_REVIEWER])


@pytest.fixture
def custodian_zhou(unit_a) -> User:
    return _person("custodian_zhou", "周涛", [Role.CUSTODIAN], unit_a)


@pytest.fixture
def archivist_wu(bureau) -> User:
    return _person("archivist_wu", "吴芳", [Role.ARCHIVIST])


@pytest.fixture
def supervisor_zheng(bureau) -> User:
    return _person("supervisor_zheng", "郑磊", [Role.SUPERVISOR])


@pytest.fixture
def sysadmin_zhao(bureau) -> User:
    return _person("sysadmin_zhao", "赵敏", [Role.SYSTEM_ADMIN])


@pytest.fixture
def secadmin_qian(bureau) -> User:
    return _person("secadmin_qian", "钱进", [Role.SECURITY_ADMIN])


@pytest.fixture
def auditor_chen(bureau) -> User:
    return _person("auditor_chen", "陈静", [Role.AUDIT_ADMIN])


@pytest.fixture
def case_a(unit_a, officer_wang):
    """A case of unit A worked by 王明."""
    return CaseFactory(unit=unit_a, officers=[officer_wang])


@pytest.fixture
def case_b(unit_b, officer_li):
    """A case of unit B worked by 李强: another unit's, for officers of unit A."""
    return CaseFactory(unit=unit_b, officers=[officer_li])
