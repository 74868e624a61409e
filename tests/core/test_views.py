"""Audit admin pages: only the audit admin reads the log, and reading is recorded (R1.1).

Every denial is itself an audit event (R23.1). The audit admin changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from liuhen.core import access, audit
from liuhen.core.models import AuditEvent, Outcome, TreeHead
from liuhen.core.treehead import sign_tree_head
from tests.core import tamper
from tests.factories import CaseFactory

pytestmark = pytest.mark.usefixtures("signing_key_file")

Login = Callable[[Any], Client]


def _views_of(user: Any) -> int:
    return AuditEvent.objects.filter(action="audit.view", actor_id=str(user.pk)).count()


def test_auditor_sees_the_event_list(
    some_events: list[AuditEvent], auditor_chen: Any, login_verified: Login
) -> None:
    client = login_verified(auditor_chen)
    response = client.get(reverse("audit:events"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-seq="10"' in body and "test.event1" in body
    # Reading the log is itself recorded, once per page request, with the search used.
    assert _views_of(auditor_chen) == 1
    client.get(reverse("audit:events"), {"action": "event2", "page": "1"})
    view = AuditEvent.objects.filter(action="audit.view").order_by("-seq").first()
    assert view is not None and view.details == {"filters": {"action": "event2"}, "page": 1}
    assert _views_of(auditor_chen) == 2


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"action": "event2"}, {3, 6, 9}),
        ({"case_id": "103"}, {4}),
        ({"object_id": "5"}, {6}),
        ({"object_type": "cases.case", "action": "event0"}, {1, 4, 7, 10}),
        ({"outcome": "denied"}, {11}),
        ({"actor": "sysadmin_zhao"}, {11}),
    ],
)
def test_filters(
    some_events: list[AuditEvent],
    auditor_chen: Any,
    sysadmin_zhao: Any,
    login_verified: Login,
    query: dict[str, str],
    expected: set[int],
) -> None:
    audit.record("account.manage", actor=sysadmin_zhao, outcome=Outcome.DENIED)  # seq 11
    response = login_verified(auditor_chen).get(reverse("audit:events"), query)
    shown = {item.seq for item in response.context["page"]}
    assert shown == expected


def test_time_filter_is_local_time(
    some_events: list[AuditEvent], auditor_chen: Any, login_verified: Login
) -> None:
    local_now = timezone.localtime()
    client = login_verified(auditor_chen)
    later = (local_now + dt.timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M")
    earlier = (local_now - dt.timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M")
    assert len(client.get(reverse("audit:events"), {"time_from": later}).context["page"]) == 0
    page = client.get(
        reverse("audit:events"), {"time_from": earlier, "time_to": later, "action": "test."}
    )
    assert {item.seq for item in page.context["page"]} == set(range(1, 11))


def test_htmx_gets_only_the_table_and_pages(
    db: None, auditor_chen: Any, login_verified: Login
) -> None:
    for i in range(60):
        audit.record("test.bulk", details={"i": i})
    client = login_verified(auditor_chen)
    response = client.get(
        reverse("audit:events"),
        {"page": "2"},
        headers={"HX-Request": "true", "HX-Target": "event-table"},
    )
    body = response.content.decode()
    assert "<html" not in body and 'data-testid="event-table"' in body
    assert {item.seq for item in response.context["page"]} == set(range(1, 11))


def test_event_detail_shows_hashes_and_a_verified_proof(
    some_events: list[AuditEvent], auditor_chen: Any, login_verified: Login
) -> None:
    sign_tree_head()
    client = login_verified(auditor_chen)
    event = AuditEvent.objects.get(seq=4)
    response = client.get(reverse("audit:event", args=[4]))
    assert response.status_code == 200
    body = response.content.decode()
    assert event.hash in body and event.sm3 in body and event.prev_hash in body
    assert response.context["proof_ok"] is True
    assert 'data-testid="inclusion-proof"' in body
    viewed = AuditEvent.objects.order_by("-seq").first()
    assert viewed is not None
    assert (viewed.action, viewed.object_type, viewed.object_id) == (
        "audit.view",
        "core.auditevent",
        "4",
    )


def test_an_event_that_is_not_there_answers_404_and_the_attempt_is_audited(
    some_events: list[AuditEvent], auditor_chen: Any, login_verified: Login
) -> None:
    client = login_verified(auditor_chen)
    assert client.get(reverse("audit:event", args=[999])).status_code == 404
    denied = AuditEvent.objects.get(action="audit.view", outcome=Outcome.DENIED)
    assert (denied.object_type, denied.object_id, denied.actor_name) == (
        "core.auditevent",
        "999",
        "auditor_chen",
    )


def test_event_not_yet_signed_says_so(
    some_events: list[AuditEvent], auditor_chen: Any, login_verified: Login
) -> None:
    response = login_verified(auditor_chen).get(reverse("audit:event", args=[2]))
    assert response.status_code == 200 and response.context["proof_ok"] is False


def test_status_page_verify_and_sign(
    some_events: list[AuditEvent], auditor_chen: Any, login_verified: Login
) -> None:
    client = login_verified(auditor_chen)
    response = client.get(reverse("audit:status"))
    assert response.status_code == 200 and response.context["head"] is None

    response = client.post(reverse("audit:sign"))
    assert response.status_code == 302
    head = TreeHead.objects.get()
    assert head.tree_size == 11  # ten events and the page view
    signed = AuditEvent.objects.get(action="audit.sign")
    assert signed.actor_id == str(auditor_chen.pk) and signed.details["tree_size"] == 11

    response = client.get(reverse("audit:status"))
    assert response.context["head"] == head
    assert "BEGIN PUBLIC KEY" in response.content.decode()

    response = client.post(reverse("audit:status"), headers={"HX-Request": "true"})
    assert 'data-ok="true"' in response.content.decode()
    verified = AuditEvent.objects.filter(action="audit.verify").get()
    assert verified.outcome == Outcome.OK
    assert client.get(reverse("audit:sign")).status_code == 405


def test_status_page_reports_tampering(
    some_events: list[AuditEvent], auditor_chen: Any, login_verified: Login
) -> None:
    tamper.edit(3, "action", "case.nothing")
    client = login_verified(auditor_chen)
    response = client.post(reverse("audit:status"))
    body = response.content.decode()
    assert 'data-ok="false"' in body and response.context["result"].first_bad_seq == 3
    # R23.1: the detection is itself recorded.
    failed = AuditEvent.objects.get(action="audit.verify")
    assert failed.outcome == Outcome.FAILED and failed.details["first_bad_seq"] == 3


@pytest.mark.parametrize("persona", ["sysadmin_zhao", "secadmin_qian", "officer_wang"])
@pytest.mark.parametrize(
    ("method", "name", "args", "action"),
    [
        ("get", "audit:events", [], "audit.view"),
        ("get", "audit:event", [1], "audit.view"),
        ("get", "audit:status", [], "audit.view"),
        ("post", "audit:status", [], "audit.view"),
        ("post", "audit:sign", [], "audit.sign"),
    ],
)
def test_everyone_else_is_refused_and_the_refusal_recorded(
    some_events: list[AuditEvent],
    request: pytest.FixtureRequest,
    login_verified: Login,
    persona: str,
    method: str,
    name: str,
    args: list[Any],
    action: str,
) -> None:
    user = request.getfixturevalue(persona)
    client = login_verified(user)
    response = getattr(client, method)(reverse(name, args=args))
    assert response.status_code == 403
    denial = AuditEvent.objects.order_by("-seq").first()
    assert denial is not None
    assert (denial.action, denial.outcome, denial.actor_id) == (
        action,
        Outcome.DENIED,
        str(user.pk),
    )
    assert TreeHead.objects.count() == 0
    assert not AuditEvent.objects.filter(outcome=Outcome.OK, action=action).exists()


def test_anonymous_is_sent_to_login(db: None) -> None:
    response = Client().get(reverse("audit:events"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_audit_admin_reads_the_log_and_changes_nothing(
    auditor_chen: Any, officer_wang: Any, unit_a: Any
) -> None:
    assert access.can(auditor_chen, "audit.view")
    assert access.can(auditor_chen, "audit.sign")
    case = CaseFactory(unit=unit_a, officers=[officer_wang])
    for action, obj in [
        ("account.manage", None),
        ("unit.manage", None),
        ("config.manage", None),
        ("role.grant", None),
        ("security.configure", None),
        ("case.change", case),
        ("case.view", case),
        ("case.create", None),
        ("token.manage", None),
    ]:
        assert not access.can(auditor_chen, action, obj), action


def test_only_the_audit_admin_sees_audit_rows(
    some_events: list[AuditEvent], auditor_chen: Any, sysadmin_zhao: Any, officer_wang: Any
) -> None:
    assert access.visible(auditor_chen, AuditEvent.objects.all()).count() == 10
    assert access.visible(sysadmin_zhao, AuditEvent.objects.all()).count() == 0
    assert access.visible(officer_wang, AuditEvent.objects.all()).count() == 0
    sign_tree_head()
    assert access.visible(auditor_chen, TreeHead.objects.all()).count() == 1
    assert access.visible(sysadmin_zhao, TreeHead.objects.all()).count() == 0
    for user in (sysadmin_zhao, officer_wang):
        assert not access.can(user, "audit.view")
        assert not access.can(user, "audit.sign")
