"""The records made before the capture time and the checkout check were kept (the
migration ``media.0003``): their capture time was the one given, and their recordings
outside a checkout are flagged from the ledger (R14.1)."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from liuhen.core import writeonce
from liuhen.core.audit import SYSTEM
from liuhen.devices import actions as device_actions
from liuhen.media.models import AvRecord, CheckoutProblem
from tests.media import linking

filling = importlib.import_module("liuhen.media.migrations.0003_capture_time_and_checkout")

pytestmark = pytest.mark.django_db

H = dt.timedelta(hours=1)


def test_older_records_are_filled_from_the_ledger(
    officer_wang, officer_ma, recorder, custodian_zhou
) -> None:
    now = timezone.now().replace(microsecond=0)
    device_actions.check_out(SYSTEM, recorder, holder=officer_wang, at=now - 10 * H)
    device_actions.return_device(SYSTEM, recorder, at=now - 8 * H)
    inside = linking.av(officer_wang, device=recorder, captured_at=now - 9 * H)
    by_other = linking.av(custodian_zhou, device=recorder, captured_at=now - 9 * H)
    outside = linking.av(officer_wang, device=recorder, captured_at=now - 2 * H)
    loose = linking.av(officer_ma, captured_at=now - 2 * H)
    records = AvRecord.objects.filter(pk__in=[r.pk for r in (inside, by_other, outside, loose)])
    with writeonce.suspended(["media_avrecord"]):
        records.update(declared_captured_at=None, checkout_problem="")
        filling.fill(apps, connection.schema_editor())
    problems = dict(records.values_list("pk", "checkout_problem"))
    assert problems == {
        inside.pk: CheckoutProblem.NONE,
        by_other.pk: CheckoutProblem.OTHER_UPLOADER,
        outside.pk: CheckoutProblem.NOT_CHECKED_OUT,
        loose.pk: CheckoutProblem.NONE,
    }
    for record in records:
        assert record.declared_captured_at == record.captured_at
