"""R14.1: recordings outside a checkout are made visible.

A file from a recorder nobody had checked out at its capture time, or brought in by a
person other than the officer who held the recorder then, is flagged on the record, in
the AV register (a column and a filter) and as a finding of the cases it is linked to.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.translation import gettext

from liuhen.cases.compliance import findings_for_case
from liuhen.core.audit import SYSTEM
from liuhen.devices import actions as device_actions
from liuhen.media import registers
from liuhen.media.actions import curation
from liuhen.media.models import CheckoutProblem
from tests.fixtures.media import ingest_bytes
from tests.media import linking
from tests.media import media_factory as make

pytestmark = pytest.mark.django_db

H = dt.timedelta(hours=1)


def clip(created: dt.datetime) -> bytes:
    return make.make_mp4(seconds=1, width=160, height=96, audio=False, created=created)


@pytest.fixture
def now() -> dt.datetime:
    return timezone.now().replace(microsecond=0)


def test_a_recorder_not_checked_out_at_the_capture_time(officer_wang, recorder, now) -> None:
    device_actions.check_out(SYSTEM, recorder, holder=officer_wang, at=now - 10 * H)
    device_actions.return_device(SYSTEM, recorder, at=now - 8 * H)
    record = linking.av(officer_wang, device=recorder, captured_at=now - 2 * H)
    assert record.checkout_problem == CheckoutProblem.NOT_CHECKED_OUT
    never = linking.av(officer_wang, device=recorder, captured_at=now - 20 * H)
    assert never.checkout_problem == CheckoutProblem.NOT_CHECKED_OUT


def test_uploaded_by_someone_other_than_the_holder(
    officer_wang, officer_ma, custodian_zhou, recorder, now
) -> None:
    device_actions.check_out(SYSTEM, recorder, holder=officer_ma, at=now - 5 * H)
    by_wang = linking.av(officer_wang, device=recorder, captured_at=now - 2 * H)
    by_zhou = linking.av(custodian_zhou, device=recorder, captured_at=now - 2 * H)
    by_ma = linking.av(officer_ma, device=recorder, captured_at=now - 2 * H)
    assert by_wang.checkout_problem == CheckoutProblem.OTHER_UPLOADER
    assert by_zhou.checkout_problem == CheckoutProblem.OTHER_UPLOADER
    assert by_ma.checkout_problem == CheckoutProblem.NONE
    assert by_ma.officer == officer_ma


def test_no_device_or_a_station_import_is_not_judged_by_the_uploader(
    officer_wang, recorder, station, now
) -> None:
    """Without a recorder nothing is checked; a station brings files in for whoever held
    the recorder (only the checkout itself counts)."""
    device_actions.check_out(SYSTEM, recorder, holder=officer_wang, at=now - 5 * H)
    loose = linking.av(officer_wang, captured_at=now - 2 * H)
    docked = linking.av(station, device=recorder, captured_at=now - 2 * H)
    assert loose.checkout_problem == docked.checkout_problem == CheckoutProblem.NONE


def test_the_file_time_decides_the_checkout(officer_wang, recorder, now) -> None:
    """The page sent the copy time (the recorder was back by then); the file was made
    during 王明's checkout: no flag. And the other way round."""
    device_actions.check_out(SYSTEM, recorder, holder=officer_wang, at=now - 10 * H)
    device_actions.return_device(SYSTEM, recorder, at=now - 6 * H)
    inside = ingest_bytes(
        officer_wang, clip(now - 8 * H), "a.mp4", device=recorder, captured_at=now - H
    )
    outside = ingest_bytes(
        officer_wang, clip(now - 3 * H), "b.mp4", device=recorder, captured_at=now - 8 * H
    )
    assert inside.checkout_problem == CheckoutProblem.NONE
    assert outside.checkout_problem == CheckoutProblem.NOT_CHECKED_OUT


def test_the_record_page_shows_the_flag(client: Client, officer_wang, recorder, now) -> None:
    flagged = linking.av(officer_wang, device=recorder, captured_at=now - 2 * H)
    client.force_login(officer_wang)
    html = client.get(f"/media/{flagged.pk}/").content.decode()
    assert 'data-testid="checkout-badge"' in html
    assert 'data-testid="record-checkout-warning"' in html
    assert str(flagged.get_checkout_problem_display()) in html
    device_actions.check_out(SYSTEM, recorder, holder=officer_wang, at=now - H)
    clean = linking.av(officer_wang, device=recorder, captured_at=now - H / 2)
    html = client.get(f"/media/{clean.pk}/").content.decode()
    assert 'data-testid="checkout-badge"' not in html


def test_the_register_filters_and_shows_the_flag(
    client: Client, officer_wang, recorder, now
) -> None:
    device_actions.check_out(SYSTEM, recorder, holder=officer_wang, at=now - 3 * H)
    clean = linking.av(officer_wang, device=recorder, captured_at=now - 2 * H)
    flagged = linking.av(officer_wang, device=recorder, captured_at=now - 5 * H)
    records, _filters = registers.filtered(officer_wang, {"outside_checkout": "1"})
    assert list(records) == [flagged]
    client.force_login(officer_wang)
    html = client.get("/media/?outside_checkout=1").content.decode()
    assert f'data-record="{flagged.pk}"' in html and f'data-record="{clean.pk}"' not in html
    assert 'data-testid="flag-outside-checkout"' in html
    column = next(
        c for c in registers.REGISTER.columns if str(c.header) == gettext("Outside a checkout")
    )
    assert column.value(flagged) == flagged.get_checkout_problem_display()
    assert column.value(clean) == ""


@pytest.mark.finding_kind("av_outside_checkout")
def test_a_finding_of_the_cases_it_is_linked_to(officer_wang, unit_a, recorder, now) -> None:
    """A supervision finding (not blocking) of the case, through the activity link."""
    officer_ma = linking.second_officer(unit_a)
    case = linking.case_of(unit_a, [officer_wang, officer_ma])
    act = linking.activity(officer_wang, case, [officer_wang, officer_ma], now - 3 * H)
    flagged = linking.av(officer_wang, device=recorder, captured_at=now - 3 * H)
    assert "av_outside_checkout" not in {f.code for f in findings_for_case(case)}
    curation.link(officer_wang, flagged, activity=act)
    found = [f for f in findings_for_case(case) if f.code == "av_outside_checkout"]
    assert len(found) == 1
    assert (found[0].article, found[0].blocking, found[0].object) == ("R14.1", False, act)
    assert f"AV-{flagged.pk}" in str(found[0].message) and "DSJ0001" in str(found[0].message)
