"""seed-demo publishes one decision against a natural person (masked) and one against an
organisation (R12.1)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from liuhen.disclosure.models import Publication

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("docs_storage")]


def test_seed_demo_publishes_two_decisions() -> None:
    call_command("seed_demo")
    rows = {row.party_kind: row for row in Publication.objects.all()}
    assert set(rows) == {"person", "organisation"}
    assert rows["person"].party == "李某某" and "李大海" not in rows["person"].facts
    assert rows["organisation"].party == "盘锦丰禾种业有限公司"
    call_command("seed_demo")
    assert Publication.objects.count() == 2
