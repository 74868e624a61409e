"""The data exchange connector and its simulator (R20): a licence for a demo USCC, kept
once with its provenance; a timeout changes nothing and is said in Chinese."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from liuhen.cases.actions.registration import link_party
from liuhen.core import blobs
from liuhen.core.models import AuditEvent, Outcome
from liuhen.subjects import actions as subject_actions
from liuhen.subjects.licences import actions, exchange
from liuhen.subjects.models import ExchangeRecord, Licence, LicenceOrigin, LicenceType
from tests.factories import SYSTEM, unit_subject

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("blob_root")]

DEMO_USCC = "92211104MA0Y8K3PXP"


@pytest.fixture
def demo_shop_of_case_a(case_a):
    """The demo 农资经营部 (the simulator holds its 农药经营许可证), a party of case A."""
    shop = unit_subject(DEMO_USCC, name="大洼区某农资经营部")
    link_party(SYSTEM, case_a, shop)
    return shop


def test_simulator_answers_a_signed_licence_with_its_file() -> None:
    answer = exchange.SimulatorExchange().licences(uscc=DEMO_USCC)
    [item] = answer.items
    assert answer.source == "simulator" and answer.query == f"uscc={DEMO_USCC}"
    assert item.payload["licence_type"] == "农药经营许可证"
    assert item.file_content.startswith(b"%PDF-")
    assert item.payload["file_sha256"] == hashlib.sha256(item.file_content).hexdigest()
    assert exchange.verify_simulator_signature(item.payload, item.signature)
    assert not exchange.verify_simulator_signature({**item.payload, "status": "x"}, item.signature)
    assert exchange.SimulatorExchange().licences(uscc="91211104MA0000000X").items == []


def test_the_setting_chooses_the_client(settings) -> None:
    settings.EXCHANGE_URL = "simulator"
    assert isinstance(exchange.client(), exchange.SimulatorExchange)
    settings.EXCHANGE_URL = "https://exchange.example.gov.cn/api"
    assert isinstance(exchange.client(), exchange.HttpExchange)


def test_fetch_keeps_the_licence_with_provenance(officer_wang, demo_shop_of_case_a) -> None:
    result = actions.fetch_licences(officer_wang, demo_shop_of_case_a)
    [licence] = result.stored
    assert licence.origin == LicenceOrigin.EXCHANGE
    assert licence.licence_type == LicenceType.objects.get(name="农药经营许可证")
    record = licence.exchange_record
    assert record.source == "simulator" and record.query == f"uscc={DEMO_USCC}"
    assert record.fetched_by == officer_wang and record.signature_valid
    content = blobs.get_store().open(record.blob_id).read()
    assert hashlib.sha256(content).hexdigest() == record.blob_id
    assert record.payload_sha256 == hashlib.sha256(record.payload.encode()).hexdigest()
    event = AuditEvent.objects.get(action="subject.licence_fetch")
    assert event.outcome == Outcome.OK and event.details["stored"] == [record.pk]


def test_fetching_twice_stores_once(officer_wang, demo_shop_of_case_a) -> None:
    actions.fetch_licences(officer_wang, demo_shop_of_case_a)
    again = actions.fetch_licences(officer_wang, demo_shop_of_case_a)
    assert again.stored == [] and again.already == 1
    assert ExchangeRecord.objects.count() == 1 == Licence.objects.count()


def test_fetch_never_overwrites_a_licence_entered_by_hand(
    officer_wang, demo_shop_of_case_a
) -> None:
    mine = actions.add_licence(
        officer_wang,
        demo_shop_of_case_a,
        licence_type=LicenceType.objects.get(name="农药经营许可证"),
        number="农药经许（辽）21110400123",
        issuer="手工录入的发证机关",
    )
    actions.fetch_licences(officer_wang, demo_shop_of_case_a)
    mine.refresh_from_db()
    assert mine.issuer == "手工录入的发证机关" and mine.origin == LicenceOrigin.HAND
    assert Licence.objects.filter(subject=demo_shop_of_case_a).count() == 2


def test_exchange_records_are_write_once(officer_wang, demo_shop_of_case_a) -> None:
    actions.fetch_licences(officer_wang, demo_shop_of_case_a)
    with pytest.raises(DatabaseError), transaction.atomic():
        ExchangeRecord.objects.update(query="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        ExchangeRecord.objects.all().delete()


def test_a_timeout_changes_nothing_and_is_logged(
    settings, officer_wang, demo_shop_of_case_a
) -> None:
    settings.EXCHANGE_URL = "simulator:timeout"
    with pytest.raises(exchange.ExchangeUnavailable, match="政务数据共享交换平台"):
        actions.fetch_licences(officer_wang, demo_shop_of_case_a)
    assert not ExchangeRecord.objects.exists() and not Licence.objects.exists()
    event = AuditEvent.objects.get(action="subject.licence_fetch")
    assert event.outcome == Outcome.FAILED


def test_an_unreachable_exchange_is_unavailable(settings, officer_wang, demo_shop_of_case_a):
    # Port 9 (discard) on the loopback: nothing listens, the connection is refused at once.
    settings.EXCHANGE_URL = "http://127.0.0.1:9"
    settings.EXCHANGE_TIMEOUT = 2
    with pytest.raises(exchange.ExchangeUnavailable):
        actions.fetch_licences(officer_wang, demo_shop_of_case_a)


def test_a_subject_without_identifier_cannot_be_asked(officer_wang, case_a) -> None:
    vessel = subject_actions.create_subject(
        officer_wang, kind="vehicle", name="辽盘渔1", plate="辽盘渔1"
    )
    with pytest.raises(ValidationError, match="统一社会信用代码"):
        actions.fetch_licences(officer_wang, vessel)


def test_a_file_that_does_not_match_its_digest_is_refused() -> None:
    item = exchange.ExchangeItem(
        payload={"file_sha256": "0" * 64}, signature="", file_name="x.pdf", file_content=b"x"
    )
    with pytest.raises(exchange.ExchangeUnavailable):
        actions._checked(item)
