"""Licences over the API (R18.3, R20): the list with provenance and digest, the fetch
from the data exchange (once, and 503 on a timeout), access both ways."""

from __future__ import annotations

import pytest

from liuhen.cases.actions.registration import link_party
from liuhen.subjects.models import ExchangeRecord, Licence
from tests.factories import SYSTEM, unit_subject
from tests.fixtures.api import assert_error, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("blob_root")]

DEMO_FEED_USCC = "91211100MA0UH7N456"


@pytest.fixture
def demo_feed_mill_of_case_a(case_a):
    """The demo 饲料有限公司 (the simulator holds its 饲料生产许可证), a party of case A."""
    mill = unit_subject(DEMO_FEED_USCC, name="盘锦某饲料有限公司")
    link_party(SYSTEM, case_a, mill)
    return mill


def test_fetch_then_list_with_provenance(officer_wang, officer_li, demo_feed_mill_of_case_a):
    url = f"/subjects/{demo_feed_mill_of_case_a.pk}/licences"
    fetched = client_for(officer_wang).post(url + "/fetch")
    assert fetched.status_code == 200, fetched.content
    body = fetched.json()
    assert (body["source"], body["stored"], body["already"]) == ("simulator", 1, 0)
    again = client_for(officer_wang).post(url + "/fetch").json()
    assert (again["stored"], again["already"]) == (0, 1)
    assert ExchangeRecord.objects.count() == 1
    # Another unit's officer reads the ordinary subject's licences.
    [licence] = client_for(officer_li).get(url).json()
    record = ExchangeRecord.objects.get()
    assert licence["licence_type"] == "饲料生产许可证" and licence["origin"] == "exchange"
    assert licence["file_sha256"] == record.blob_id and licence["signature_verified"]
    assert licence["valid_until"] == "2027-08-31"


def test_fetch_is_refused_to_another_unit_and_hidden_is_404(
    officer_li, demo_feed_mill_of_case_a
) -> None:
    url = f"/subjects/{demo_feed_mill_of_case_a.pk}/licences/fetch"
    assert_error(client_for(officer_li).post(url), 403, "forbidden")
    hidden = unit_subject(confidentiality="state_secret")
    assert_error(client_for(officer_li).get(f"/subjects/{hidden.pk}/licences"), 404, "not_found")
    assert not Licence.objects.exists()


def test_a_timeout_answers_503_and_keeps_nothing(
    settings, officer_wang, demo_feed_mill_of_case_a
) -> None:
    settings.EXCHANGE_URL = "simulator:timeout"
    response = client_for(officer_wang).post(
        f"/subjects/{demo_feed_mill_of_case_a.pk}/licences/fetch"
    )
    body = assert_error(response, 503, "exchange_unavailable")
    assert "政务数据共享交换平台" in body["message"]
    assert not Licence.objects.exists()
