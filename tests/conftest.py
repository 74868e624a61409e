"""Session setup and the hooks every test shares; the fixtures come from ``tests/fixtures/``."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

pytest_plugins = [
    "tests.fixtures.personas",
    "tests.fixtures.clock",
    "tests.fixtures.cases",
    "tests.fixtures.activities",
    "tests.fixtures.audit",
    "tests.fixtures.deadlines",
    "tests.fixtures.devices",
    "tests.fixtures.media",
    "tests.fixtures.storage",
    "tests.fixtures.documents",
    "tests.fixtures.delivery",
    "tests.fixtures.disclosure",
    "tests.fixtures.axe",
    "tests.fixtures.browser",
    "tests.fixtures.fuzz",
    "tests.fixtures.findings",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--local-hour",
        metavar="HH:MM",
        help="run as if it were HH:MM today in Asia/Shanghai (the clock keeps ticking): "
        "tests that compare local dates must pass at any hour CI happens to run",
    )


def pytest_configure(config: pytest.Config) -> None:
    hour = config.getoption("--local-hour")
    if hour:
        config._local_hour_travel = _travel_to_local_hour(hour)  # type: ignore[attr-defined]


# A module that reads local dates or counts hours back from now: its tests run again at the
# hours when the local date and the UTC date differ or are about to change (make test).
_LOCAL_DATES = re.compile(r"localdate|local_midday|hours_ago|days_ago")


# The longest files (a live server fuzzed, real servers started, whole cases walked in the
# browser, processes killed) start first among the tests of their kind (pytest-django then
# puts the tests that need a real transaction after the others, keeping this order within
# each group), so the workers finish together instead of one waiting on a long file.
_LONG_FIRST = (
    "tests/api/test_fuzz_live.py",
    "tests/test_serve.py",
    "tests/scenarios/",
    "tests/faults/",
)


@pytest.hookimpl(tryfirst=True)  # before ``-m`` selects by it
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    sources: dict[Path, bool] = {}
    for item in items:
        path = Path(str(item.path))
        if path not in sources:
            sources[path] = bool(_LOCAL_DATES.search(path.read_text(encoding="utf-8")))
        in_browser = "/e2e/" in str(path) or item.get_closest_marker("e2e") is not None
        if sources[path] and not in_browser:
            item.add_marker(pytest.mark.local_dates)
    items.sort(key=lambda item: 0 if item.nodeid.startswith(_LONG_FIRST) else 1)


def pytest_unconfigure(config: pytest.Config) -> None:
    travel = getattr(config, "_local_hour_travel", None)
    if travel is not None:
        travel.stop()


def _travel_to_local_hour(hour: str):
    import time_machine

    try:
        at = dt.time.fromisoformat(hour)
    except ValueError:
        raise pytest.UsageError(f"--local-hour wants HH:MM, not {hour!r}") from None
    zone = ZoneInfo("Asia/Shanghai")
    today = dt.datetime.now(zone).date()
    travel = time_machine.travel(dt.datetime.combine(today, at, tzinfo=zone), tick=True)
    travel.start()
    return travel


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


@pytest.fixture(autouse=True)
def _migration_seeded_data(request):
    """Every test starts from what the migrations seed (the activity types, the fields of
    enforcement, the licence types). A transactional test ends with a flush that removes
    it, and with the suite spread over processes any test may follow one in the same
    database: the data is put back when it is missing."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if marker is None and not names & {"db", "transactional_db", "live_server"}:
        return
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        names & {"transactional_db", "live_server"}
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    from liuhen.activities.models import ActivityType
    from tests.activities.helpers import seed_types

    if not ActivityType.objects.exists():
        seed_types()
    import importlib

    from django.apps import apps

    from liuhen.cases.models import EnforcementField
    from liuhen.subjects.models import LicenceType

    for model, migration in (
        (EnforcementField, "liuhen.cases.migrations.0012_enforcement_fields"),
        (LicenceType, "liuhen.subjects.migrations.0004_licences_and_exchange"),
    ):
        if not model.objects.exists():
            importlib.import_module(migration).seed(apps, None)
