"""Acceptance (R19.1, issue 15 §6): the party's case query at /query/ works with the case
number and the query code printed on the documents served on the party; a wrong number
and a wrong code give the same answer; tries are limited per address and per case number;
every query, right or wrong, is audited; the sealed PDF is downloaded through an audited
action."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from liuhen.core import registry
from liuhen.core.models import AuditEvent
from liuhen.delivery.actions import query
from liuhen.delivery.events import QueryEvents
from liuhen.delivery.models import PartyQueryCode
from liuhen.documents import files
from liuhen.documents.models import FilePurpose
from liuhen.documents.spec import QUERY_CODE
from tests.delivery.query_helpers import PARTY, pdf_text
from tests.delivery.service_helpers import issued_row

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_chinese")]

URL = "/query/case/"


def _ask(client: Client, number: str, code: str):
    return client.post(URL, {"number": number, "code": code})


def _queries(result: str | None = None):
    found = AuditEvent.objects.filter(action=QueryEvents.QUERY).order_by("seq")
    return found.filter(details__result=result) if result else found


def test_the_code_is_made_once_and_printed_on_the_served_document(decision_served_for_query):
    served = decision_served_for_query
    assert PartyQueryCode.objects.filter(case=served.case).count() == 1
    code = served.code
    assert len(code) == 10
    text = pdf_text(served.issued)
    assert code in text
    assert "查询码" in text and "/query/" in text
    assert AuditEvent.objects.filter(action=QueryEvents.CODE, case_id=served.case.pk).count() == 1


def test_a_later_served_document_prints_the_same_code(decision_served_for_query):
    served = decision_served_for_query
    provider = registry.document_behaviours[QUERY_CODE]
    url, code = provider.at_issue(served.case, {"party_name": PARTY})
    assert code == served.code and url.endswith("/query/")
    assert provider.printed(served.case, {}) == (url, code)  # the case's only party
    assert PartyQueryCode.objects.filter(case=served.case).count() == 1


def test_the_right_code_shows_stage_documents_deadlines_and_payment(decision_served_for_query):
    served = decision_served_for_query
    page = _ask(Client(), served.case.number, served.code.lower())  # case does not matter
    assert page.status_code == 200
    body = page.content.decode()
    assert page["Cache-Control"] == "no-store"
    assert PARTY in body
    assert served.issued.title in body and served.issued.number in body
    assert 'data-testid="query-payment"' in body
    assert "¥5,000.00" in body or "5,000.00" in body
    shown = _queries("shown").get()
    assert shown.case_id == served.case.pk
    assert shown.details["documents"] == [served.issued.pk]


def test_a_wrong_code_and_a_wrong_number_give_the_same_answer(decision_served_for_query):
    served = decision_served_for_query
    wrong_code = _ask(Client(), served.case.number, "ABCDEFGHJK")
    wrong_number = _ask(Client(), "洼农（农药）罚〔2099〕999号", served.code)
    assert wrong_code.status_code == wrong_number.status_code == 200

    def visible(page) -> str:
        body = page.content.decode()
        body = body.replace(served.case.number, "#").replace("洼农（农药）罚〔2099〕999号", "#")
        # The CSRF tokens differ from request to request.
        return re.sub(r"[A-Za-z0-9]{64}", "", body)

    assert visible(wrong_code) == visible(wrong_number)
    assert 'data-testid="query-unmatched"' in wrong_code.content.decode()
    wrong = list(_queries("wrong"))
    assert [e.details["number"] for e in wrong] == [
        served.case.number,
        "洼农（农药）罚〔2099〕999号",
    ]
    assert wrong[0].case_id == served.case.pk and wrong[1].case_id is None


def test_wrong_tries_on_a_case_number_are_limited(decision_served_for_query, settings):
    settings.CASE_QUERY_LIMIT_PER_CASE = 3
    settings.CASE_QUERY_LIMIT_PER_ADDRESS = 100
    served = decision_served_for_query
    number = served.case.number
    for n in range(3):
        assert _ask(Client(REMOTE_ADDR=f"10.0.1.{n}"), number, "WRONGCODE1").status_code == 200
    # A fourth try, from another address and with the right code, is refused too.
    refused = _ask(Client(REMOTE_ADDR="10.0.1.9"), number, served.code)
    assert refused.status_code == 429
    assert refused["Retry-After"]
    again = _ask(Client(REMOTE_ADDR="10.0.1.10"), number, served.code)
    assert again.status_code == 429
    # Only the first refusal is recorded; another case number is not affected.
    assert _queries("throttled").count() == 1
    assert _queries("throttled").get().details["by"] == "case"
    assert _ask(Client(REMOTE_ADDR="10.0.1.11"), "其他号", "X").status_code == 200


def test_queries_from_one_address_are_limited(decision_served_for_query, settings):
    settings.CASE_QUERY_LIMIT_PER_ADDRESS = 3
    settings.CASE_QUERY_LIMIT_PER_CASE = 100
    served = decision_served_for_query
    client = Client(REMOTE_ADDR="10.0.2.1")
    for n in range(3):
        assert _ask(client, f"编号{n}", "WRONGCODE1").status_code == 200
    assert _ask(client, served.case.number, served.code).status_code == 429
    assert _ask(client, served.case.number, served.code).status_code == 429
    assert _queries("throttled").count() == 1
    # Another address still gets its answer.
    assert _ask(Client(REMOTE_ADDR="10.0.2.2"), served.case.number, served.code).status_code == 200


def test_every_query_is_audited_with_the_address(decision_served_for_query):
    served = decision_served_for_query
    _ask(Client(REMOTE_ADDR="10.0.3.1"), served.case.number, served.code)
    _ask(Client(REMOTE_ADDR="10.0.3.2"), served.case.number, "NOTTHECODE")
    _ask(Client(REMOTE_ADDR="10.0.3.3"), "不存在的编号", served.code)
    events = list(_queries())
    assert [(e.ip, e.details["result"]) for e in events] == [
        ("10.0.3.1", "shown"),
        ("10.0.3.2", "wrong"),
        ("10.0.3.3", "wrong"),
    ]
    # The code itself is never written to the log.
    assert all(served.code not in str(e.details) for e in AuditEvent.objects.all())


def test_the_sealed_pdf_is_downloaded_through_an_audited_action(decision_served_for_query):
    served = decision_served_for_query
    client = Client(REMOTE_ADDR="10.0.4.1")
    url = reverse("portal:case_query_document")
    given = {"number": served.case.number, "code": served.code, "document": served.issued.pk}
    answer = client.post(url, given)
    assert answer.status_code == 200
    data = b"".join(answer.streaming_content) if answer.streaming else answer.content
    stored = served.issued.files.get(purpose=FilePurpose.ISSUED)
    assert data == files.read_blob(stored.blob_id)
    assert answer["Content-Type"] == "application/pdf"
    event = AuditEvent.objects.get(action=QueryEvents.DOWNLOAD)
    assert event.details["issued"] == served.issued.pk
    assert event.details["sha256"] == stored.blob_id
    assert event.ip == "10.0.4.1"
    # A wrong code downloads nothing and counts as a wrong try.
    refused = client.post(url, {**given, "code": "WRONGCODE1"})
    assert refused.status_code == 404
    assert _queries("wrong").count() == 1


def test_a_document_not_served_on_the_party_is_not_downloaded(
    decision_served_for_query, officer_wang
):
    served = decision_served_for_query
    other = issued_row(officer_wang, served.case, "penalty_decision", data={"party_name": PARTY})
    url = reverse("portal:case_query_document")
    given = {"number": served.case.number, "code": served.code, "document": other.pk}
    assert Client().post(url, given).status_code == 404
    assert query.open_served_document(served.case.number, served.code, other.pk) is None


def test_the_query_page_answers_without_login():
    page = Client().get("/query/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="query-form"' in body
    assert "查询码" in body
    assert "依据：制度第十九条" in body
