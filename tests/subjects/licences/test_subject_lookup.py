"""Looking a subject up in the data exchange by credit code or resident id (R20): the
registered name, legal representative and address kept write-once with their provenance,
shown beside what the officer entered and copied only when asked; a timeout leaves the
form and the page usable with a message; every ask is in the log."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.test import Client
from django.urls import reverse

from liuhen.cases.actions.registration import link_party
from liuhen.core import access
from liuhen.core.access import AccessDenied
from liuhen.core.models import AuditEvent, Outcome
from liuhen.subjects.licences import actions, exchange
from liuhen.subjects.models import Subject, SubjectLookup
from tests.factories import SYSTEM, sign_in, unit_subject, uscc
from tests.fixtures.api import assert_error, client_for

pytestmark = pytest.mark.django_db

DEMO_USCC = "92211104MA0Y8K3PXP"
DEMO_PERSON = "211104197803152511"
REGISTERED = exchange.SIMULATED_SUBJECTS[DEMO_USCC]["name"]


@pytest.fixture
def shop_of_case_a(case_a):
    """The demo 农资经营部 as an officer typed it (not its registered name), a party of
    case A."""
    shop = unit_subject(DEMO_USCC, name="丰收农资店", address="建设路")
    link_party(SYSTEM, case_a, shop)
    return shop


def test_the_simulator_answers_who_is_registered_signed() -> None:
    answer = exchange.SimulatorExchange().subject(uscc=DEMO_USCC)
    assert answer.payload is not None and answer.payload["name"] == REGISTERED
    assert exchange.verify_simulator_signature(answer.payload, answer.signature)
    person = exchange.SimulatorExchange().subject(resident_id=DEMO_PERSON)
    assert person.payload is not None and DEMO_PERSON not in person.query
    assert exchange.SimulatorExchange().subject(uscc="91211104MA0000000X").payload is None


def test_a_lookup_before_entering_is_kept_with_provenance_and_once(officer_wang) -> None:
    lookup = actions.lookup_subject(officer_wang, uscc=DEMO_USCC.lower())
    assert lookup.subject is None and lookup.found and lookup.name == REGISTERED
    assert lookup.source == "simulator" and lookup.query == f"uscc={DEMO_USCC}"
    assert lookup.fetched_by == officer_wang and lookup.signature_valid
    assert lookup.payload_sha256 == hashlib.sha256(lookup.payload.encode()).hexdigest()
    again = actions.lookup_subject(officer_wang, uscc=DEMO_USCC)
    assert again.pk == lookup.pk and SubjectLookup.objects.count() == 1
    events = AuditEvent.objects.filter(action="subject.exchange_lookup", outcome=Outcome.OK)
    assert events.count() == 2 and events.first().details["lookup"] == lookup.pk


def test_a_lookup_of_a_subject_never_changes_what_was_entered(officer_wang, shop_of_case_a) -> None:
    lookup = actions.lookup_subject(officer_wang, subject=shop_of_case_a)
    shop_of_case_a.refresh_from_db()
    assert lookup.subject == shop_of_case_a and lookup.name == REGISTERED
    assert shop_of_case_a.name == "丰收农资店" and shop_of_case_a.address == "建设路"


def test_nobody_registered_is_kept_as_such(officer_wang) -> None:
    lookup = actions.lookup_subject(officer_wang, uscc=uscc(99))
    assert not lookup.found and lookup.name == "" and lookup.payload == ""


def test_a_timeout_keeps_nothing_and_is_logged(settings, officer_wang) -> None:
    settings.EXCHANGE_URL = "simulator:timeout"
    with pytest.raises(exchange.ExchangeUnavailable, match="政务数据共享交换平台"):
        actions.lookup_subject(officer_wang, uscc=DEMO_USCC)
    assert not SubjectLookup.objects.exists()
    assert AuditEvent.objects.get(action="subject.exchange_lookup").outcome == Outcome.FAILED


def test_a_wrong_or_missing_number_is_refused(officer_wang) -> None:
    with pytest.raises(ValidationError):
        actions.lookup_subject(officer_wang, uscc="91211104MA0000000")
    with pytest.raises(ValidationError, match="统一社会信用代码"):
        actions.lookup_subject(officer_wang)


def test_lookups_are_write_once(officer_wang) -> None:
    actions.lookup_subject(officer_wang, uscc=DEMO_USCC)
    with pytest.raises(DatabaseError), transaction.atomic():
        SubjectLookup.objects.update(name="改过的")
    with pytest.raises(DatabaseError), transaction.atomic():
        SubjectLookup.objects.all().delete()


def test_who_may_ask_and_who_reads_the_answer(
    officer_wang, officer_li, sysadmin_zhao, shop_of_case_a
) -> None:
    # Another unit's officer reads the subject but does not change it: no asking for it.
    with pytest.raises(AccessDenied):
        actions.lookup_subject(officer_li, subject=shop_of_case_a)
    with pytest.raises(AccessDenied):
        actions.lookup_subject(sysadmin_zhao, uscc=DEMO_USCC)
    mine = actions.lookup_subject(officer_wang, uscc=DEMO_USCC)
    about_shop = actions.lookup_subject(officer_wang, subject=shop_of_case_a)
    seen_by_li = set(access.visible(officer_li, SubjectLookup.objects.all()))
    # The answer about a subject is read with the subject; a form's ask by its asker.
    assert about_shop in seen_by_li and mine not in seen_by_li
    assert mine in set(access.visible(officer_wang, SubjectLookup.objects.all()))


# --- the new-subject form --------------------------------------------------------------


def _form(client: Client, **values) -> str:
    data = {"kind": "unit", "name": "丰收农资店", "uscc": DEMO_USCC, **values}
    response = client.post(reverse("subjects:create"), data)
    assert response.status_code == 200
    return response.content.decode()


def test_the_form_shows_the_answer_beside_what_was_typed(officer_wang) -> None:
    client = sign_in(Client(), officer_wang)
    html = _form(client, do="lookup")
    assert 'data-testid="lookup-record"' in html and REGISTERED in html
    assert 'value="丰收农资店"' in html  # what was typed stays in the form
    lookup = SubjectLookup.objects.get()
    assert lookup.payload_sha256 in html
    assert not Subject.objects.filter(uscc=DEMO_USCC).exists()  # nothing entered yet
    copied = _form(client, do="copy", lookup=lookup.pk)
    assert f'value="{REGISTERED}"' in copied
    assert 'value="丰收农资店"' not in copied


def test_the_form_stays_usable_when_the_exchange_times_out(settings, officer_wang) -> None:
    settings.EXCHANGE_URL = "simulator:timeout"
    html = _form(sign_in(Client(), officer_wang), do="lookup")
    assert 'data-testid="lookup-problem"' in html and "政务数据共享交换平台" in html
    assert 'value="丰收农资店"' in html and 'data-testid="subject-save"' in html


def test_another_officers_lookup_is_not_copied(officer_wang, officer_ma) -> None:
    lookup = actions.lookup_subject(officer_wang, uscc=DEMO_USCC)
    html = _form(sign_in(Client(), officer_ma), do="copy", lookup=lookup.pk)
    assert REGISTERED not in html and 'value="丰收农资店"' in html


# --- the subject page ------------------------------------------------------------------


def test_the_subject_page_asks_and_shows_the_answer_beside_the_subject(
    officer_wang, shop_of_case_a
) -> None:
    client = sign_in(Client(), officer_wang)
    detail = reverse("subjects:detail", args=[shop_of_case_a.pk])
    assert 'data-testid="lookup-ask"' in client.get(detail).content.decode()
    response = client.post(reverse("subjects:lookup", args=[shop_of_case_a.pk]))
    assert response.status_code == 302
    html = client.get(detail).content.decode()
    assert REGISTERED in html and "丰收农资店" in html
    lookup = SubjectLookup.objects.get(subject=shop_of_case_a)
    edit = client.get(
        reverse("subjects:edit", args=[shop_of_case_a.pk]), {"from_lookup": lookup.pk}
    ).content.decode()
    assert f'value="{REGISTERED}"' in edit


def test_the_subject_page_says_when_the_exchange_times_out(
    settings, officer_wang, shop_of_case_a
) -> None:
    settings.EXCHANGE_URL = "simulator:timeout"
    client = sign_in(Client(), officer_wang)
    response = client.post(reverse("subjects:lookup", args=[shop_of_case_a.pk]), follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "政务数据共享交换平台" in html and 'data-testid="subject-name"' in html


def test_another_units_officer_cannot_ask_from_the_page(officer_li, shop_of_case_a) -> None:
    client = sign_in(Client(), officer_li)
    detail = client.get(reverse("subjects:detail", args=[shop_of_case_a.pk])).content.decode()
    assert 'data-testid="lookup-ask"' not in detail
    assert client.post(reverse("subjects:lookup", args=[shop_of_case_a.pk])).status_code == 403
    assert not SubjectLookup.objects.exists()


# --- the API ---------------------------------------------------------------------------


def test_the_api_asks_for_a_subject_and_for_a_number(officer_wang, shop_of_case_a) -> None:
    api = client_for(officer_wang)
    response = api.post(f"/subjects/{shop_of_case_a.pk}/exchange-lookup")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["subject_id"] == shop_of_case_a.pk and body["name"] == REGISTERED
    assert body["signature_verified"] is True and len(body["payload_sha256"]) == 64
    answered = api.post("/subject-lookups", {"uscc": DEMO_USCC})
    assert answered.status_code == 200, answered.content
    before = answered.json()
    assert before["subject_id"] is None and before["found"] is True


def test_the_api_answers_503_on_a_timeout_and_404_for_a_hidden_subject(
    settings, officer_wang, officer_li, shop_of_case_a
) -> None:
    settings.EXCHANGE_URL = "simulator:timeout"
    assert_error(
        client_for(officer_wang).post(f"/subjects/{shop_of_case_a.pk}/exchange-lookup"),
        503,
        "exchange_unavailable",
    )
    assert_error(client_for(officer_li).post("/subjects/999999/exchange-lookup"), 404, "not_found")
