"""R18.4: a raw AV retention set in days before the rule counted months carries over as
the fewest whole months never shorter than it (the migration ``media.0002``)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from liuhen.core import rules
from liuhen.core.models import RuleOverride

carrying = importlib.import_module("liuhen.media.migrations.0002_av_retention_in_months")

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("days", "months"),
    [(90, 6), (180, 6), (181, 6), (182, 7), (200, 7), (365, 12), (366, 13), (730, 24)],
)
def test_days_become_months_that_are_never_shorter(days: int, months: int) -> None:
    assert carrying.months_for(days) == months


def test_a_longer_retention_in_days_carries_over(sysadmin_zhao) -> None:
    RuleOverride.objects.create(
        key="av_raw_retention", value=365, reason="延长保存", changed_by=sysadmin_zhao
    )
    carrying.carry_over(apps, None)
    row = RuleOverride.objects.get(key="av_raw_retention_months")
    assert row.value == 12 and row.changed_by == sysadmin_zhao and "365 日" in row.reason
    assert rules.value("av_raw_retention_months") == 12


def test_nothing_is_written_where_six_months_keep_as_long() -> None:
    RuleOverride.objects.create(key="av_raw_retention", value=181, reason="按半年")
    carrying.carry_over(apps, None)
    assert not RuleOverride.objects.filter(key="av_raw_retention_months").exists()
    assert rules.value("av_raw_retention_months") == 6
