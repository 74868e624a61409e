"""Session setup and the hooks every test shares; the fixtures come from ``tests/fixtures/``."""

from __future__ import annotations

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
    "tests.fixtures.axe",
    "tests.fixtures.browser",
]


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
    enforcement). A transactional test ends with a flush that removes it, and with the suite
    spread over processes any test may follow one in the same database: the data is put
    back when it is missing."""
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
    from liuhen.cases.models import EnforcementField

    if not EnforcementField.objects.exists():
        import importlib

        from django.apps import apps

        importlib.import_module("liuhen.cases.migrations.0012_enforcement_fields").seed(apps, None)
