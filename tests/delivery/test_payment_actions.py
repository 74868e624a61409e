"""Payment of fines (R11.1; 行政处罚法 Art. 66, 67, 72, 73): the gateway's signed callback over
real HTTP marks the notice paid; forged, replayed, mismatched callbacks are refused and
audited; the surcharge through ``status``; reconsideration pauses it; deferral on approval
replaces the notice with instalments; the daily job stores the figures; access both ways."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from liuhen.cases.models import ApprovalRequest
from liuhen.core import audit
from liuhen.core.access import AccessDenied
from liuhen.core.models import AuditEvent, Outcome
from liuhen.delivery import tasks
from liuhen.delivery.actions import deferrals, proceedings
from liuhen.delivery.actions import payments as payment_actions
from liuhen.delivery.models import (
    Payment,
    PaymentNotice,
    ProceedingEnd,
    RemedyProceeding,
    ServiceRecord,
)
from liuhen.delivery.payment import gateway as payments
from liuhen.delivery.payment.status import PaymentState, status
from liuhen.documents.models import IssuedDocument
from tests.delivery.payment_helpers import (
    FINE,
    SECRET,
    make_decision,
    notice_of,
    serve,
)
from tests.factories import sign_in
from tests.fixtures.clock import at
from tests.scenarios.helpers import approve_all, refusal_reason

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("gateway_secret", "in_english")]

D = dt.date
SERVED = D(2026, 3, 2)  # a Monday
DUE = D(2026, 3, 17)  # Art. 67: fifteen days from the day after service
CALLBACK = "/pay/callback/"


def day(n: int) -> dt.date:
    """The n-th day after the due date."""
    return DUE + dt.timedelta(days=n)


@pytest.fixture
def decision_served_march_2(unit_a, officer_wang):
    """Decided on 2026-03-01 and served on 2026-03-02: due 2026-03-17."""
    found = make_decision(
        unit_a, officer_wang, number="洼农（农药）罚〔2026〕12号", decided_on=D(2026, 3, 1)
    )
    serve(found, officer_wang, SERVED)
    return found


@pytest.fixture
def payment_notice(decision_served_march_2):
    return notice_of(decision_served_march_2)


@pytest.fixture
def unserved(unit_a, officer_wang):
    """A decision not served yet: nothing is due, the notice asks for the fine alone."""
    return make_decision(
        unit_a, officer_wang, number="洼农（农药）罚〔2026〕30号", decided_on=D(2026, 11, 1)
    )


@pytest.fixture
def open_notice(unserved):
    return notice_of(unserved)


def post_callback(client: Client, payload: dict, *, secret: str = SECRET):
    body, headers = payments.sign_callback(payload, secret=secret)
    return client.post(
        CALLBACK,
        data=body,
        content_type="application/json",
        headers=headers,
        REMOTE_ADDR="203.0.113.7",
    )


def refusals() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="payment.callback_refused").order_by("seq"))


# --- the callback over HTTP ----------------------------------------------------------------


def test_the_simulator_callback_marks_the_notice_paid(client, open_notice) -> None:
    payload = payments.simulated_payment(open_notice.number, FINE)
    response = post_callback(client, payload)
    assert response.status_code == 200 and response.json() == {"ok": True}
    payment = Payment.objects.get()
    assert payment.notice == open_notice and payment.amount_fen == FINE
    assert payment.gateway == "simulator"
    assert payment.transaction_id == payload["transaction_id"]
    assert status(open_notice).state == PaymentState.PAID
    assert status(open_notice).outstanding_fen == 0
    event = AuditEvent.objects.get(action="payment.paid")
    assert event.case_id == open_notice.decision.case_id and event.outcome == Outcome.OK
    assert event.details["transaction_id"] == payload["transaction_id"]
    assert event.details["remote_addr"] == "203.0.113.7"


def test_a_forged_callback_is_refused_and_audited(client, open_notice) -> None:
    payload = payments.simulated_payment(open_notice.number, FINE)
    response = post_callback(client, payload, secret="not-the-gateway-secret")
    assert response.status_code == 403
    assert not Payment.objects.exists()
    assert status(open_notice).state == PaymentState.UNPAID
    [event] = refusals()
    assert event.outcome == Outcome.DENIED
    assert event.details["reason"] == "signature does not match"
    assert event.details["notice_number"] == open_notice.number
    assert event.details["remote_addr"] == "203.0.113.7"


def test_a_callback_without_signature_or_with_a_changed_body_is_refused(
    client, open_notice
) -> None:
    body, headers = payments.sign_callback(payments.simulated_payment(open_notice.number, FINE))
    unsigned = client.post(CALLBACK, data=body, content_type="application/json")
    changed = client.post(
        CALLBACK,
        data=body.replace(str(FINE).encode(), b"1"),
        content_type="application/json",
        headers=headers,
    )
    assert unsigned.status_code == 403 and changed.status_code == 403
    assert not Payment.objects.exists() and len(refusals()) == 2


def test_a_replayed_callback_does_not_pay_twice(client, open_notice) -> None:
    body, headers = payments.sign_callback(payments.simulated_payment(open_notice.number, FINE))
    for _attempt in range(2):
        response = client.post(
            CALLBACK, data=body, content_type="application/json", headers=headers
        )
        assert response.status_code == 200
    assert Payment.objects.count() == 1
    assert AuditEvent.objects.filter(action="payment.paid").count() == 1
    assert status(open_notice).paid_fen == FINE


def test_another_transaction_on_a_paid_notice_is_refused(client, open_notice) -> None:
    assert (
        post_callback(client, payments.simulated_payment(open_notice.number, FINE)).status_code
        == 200
    )
    second = post_callback(client, payments.simulated_payment(open_notice.number, FINE))
    assert second.status_code == 409
    assert Payment.objects.count() == 1
    assert refusals()[-1].details["reason"] == "notice is paid already"


def test_an_amount_other_than_the_notice_asks_is_refused(client, open_notice) -> None:
    for amount in (FINE - 1, FINE + 100):
        response = post_callback(client, payments.simulated_payment(open_notice.number, amount))
        assert response.status_code == 409
    assert not Payment.objects.exists()
    events = refusals()
    assert len(events) == 2 and all(e.outcome == Outcome.DENIED for e in events)
    assert events[0].details["amount_fen"] == FINE - 1
    assert events[0].case_id == open_notice.decision.case_id


def test_an_unknown_notice_is_404_and_a_malformed_body_400(client, open_notice) -> None:
    unknown = post_callback(client, payments.simulated_payment("20260000009999", FINE))
    assert unknown.status_code == 404
    malformed = post_callback(client, {"notice_number": open_notice.number, "amount_fen": "5"})
    assert malformed.status_code == 400
    assert client.get(CALLBACK).status_code == 405
    assert not Payment.objects.exists()
    reasons = [event.details["reason"] for event in refusals()]
    assert reasons[0] == "no payment notice 20260000009999"
    assert "amount_fen" in reasons[1]


def test_a_late_payment_must_include_the_surcharge(client, payment_notice) -> None:
    # Paid on the first day late: Art. 72 adds 3 % of the fine.
    paid_at = at(day(1), 15)
    short = post_callback(
        client, payments.simulated_payment(payment_notice.number, FINE, paid_at=paid_at)
    )
    assert short.status_code == 409
    full = post_callback(
        client, payments.simulated_payment(payment_notice.number, FINE + 150_00, paid_at=paid_at)
    )
    assert full.status_code == 200
    paid = status(payment_notice, day(30))
    assert paid.state == PaymentState.PAID
    assert paid.surcharge_fen == 150_00 and paid.late_days == 1 and paid.outstanding_fen == 0
    payment_notice.refresh_from_db()
    assert (payment_notice.surcharge_fen, payment_notice.surcharge_on) == (150_00, day(1))


# --- status and the surcharge (Art. 67, 72, 73) -------------------------------------------


def test_status_counts_the_surcharge_from_the_served_date(payment_notice) -> None:
    before = status(payment_notice, DUE)
    assert before.state == PaymentState.UNPAID and before.due_on == DUE
    assert before.surcharge_fen == 0 and before.outstanding_fen == FINE
    first = status(payment_notice, day(1))
    assert first.state == PaymentState.OVERDUE
    assert (first.late_days, first.surcharge_fen) == (1, 150_00)
    assert first.outstanding_fen == FINE + 150_00
    assert status(payment_notice, day(20)).surcharge_fen == 3_000_00
    assert status(payment_notice, day(33)).surcharge_fen == 4_950_00
    capped = status(payment_notice, day(34))
    assert capped.surcharge_fen == FINE and capped.outstanding_fen == 2 * FINE  # the cap
    assert status(payment_notice, day(200)).surcharge_fen == FINE


def test_no_service_means_nothing_is_due_yet(open_notice) -> None:
    found = status(open_notice, D(2027, 6, 1))
    assert found.state == PaymentState.UNPAID and found.due_on is None
    assert found.surcharge_fen == 0 and found.outstanding_fen == FINE


def test_only_the_served_decision_starts_the_period(unserved, officer_wang) -> None:
    notice = notice_of(unserved)
    case = unserved.case
    # Another document served, and the decision posted but returned by the post office.
    other = IssuedDocument.objects.create(
        case=case,
        unit=case.unit,
        form_code="advance_notice",
        title="行政处罚事先告知书",
        issued_by=officer_wang,
    )
    decision_doc = IssuedDocument.objects.create(
        case=case,
        unit=case.unit,
        form_code="penalty_decision",
        title="行政处罚决定书",
        issued_by=officer_wang,
    )
    for issued, served_on in ((other, D(2026, 11, 2)), (decision_doc, None)):
        ServiceRecord.objects.create(
            issued=issued,
            case=case,
            mode="post",
            recipient="当事人",
            served_at=at(D(2026, 11, 2)),
            served_on=served_on,
            recorded_by=officer_wang,
        )
    assert status(notice, D(2026, 12, 31)).due_on is None
    serve(unserved, officer_wang, D(2026, 11, 2))  # a Monday
    assert status(notice, D(2026, 11, 10)).due_on == D(2026, 11, 17)


def test_reconsideration_pauses_the_surcharge(payment_notice, officer_wang) -> None:
    decision = payment_notice.decision
    proceeding = proceedings.record_proceeding(
        officer_wang, decision, "reconsideration", day(6), "盘锦市大洼区人民政府"
    )
    # While it runs nothing accrues (Art. 73).
    assert status(payment_notice, day(30)).surcharge_fen == 5 * 150_00
    proceedings.end_proceeding(officer_wang, proceeding, day(15), "维持原处罚决定")
    paused = status(payment_notice, day(30))
    assert paused.late_days == 20 and paused.surcharge_fen == 3_000_00
    assert paused.pauses == [(day(6), day(15))]
    assert status(payment_notice, day(44)).surcharge_fen == FINE  # the cap still holds
    assert status(payment_notice, day(43)).surcharge_fen == 4_950_00
    events = AuditEvent.objects.filter(action__startswith="payment.proceeding").order_by("seq")
    assert [e.action for e in events] == ["payment.proceeding", "payment.proceeding_end"]
    assert all(e.case_id == decision.case_id for e in events)


def test_proceedings_are_checked(payment_notice, officer_wang) -> None:
    decision = payment_notice.decision
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert "future" in refusal_reason(
        proceedings.record_proceeding, officer_wang, decision, "litigation", tomorrow
    )
    assert "before the decision" in refusal_reason(
        proceedings.record_proceeding, officer_wang, decision, "litigation", D(2026, 2, 1)
    )
    assert refusal_reason(proceedings.record_proceeding, officer_wang, decision, "appeal", day(1))
    running = proceedings.record_proceeding(officer_wang, decision, "litigation", day(2))
    assert "still running" in refusal_reason(
        proceedings.record_proceeding, officer_wang, decision, "reconsideration", day(3)
    )
    assert "before the start" in refusal_reason(
        proceedings.end_proceeding, officer_wang, running, day(1)
    )
    proceedings.end_proceeding(officer_wang, running, day(9))
    assert "already" in refusal_reason(proceedings.end_proceeding, officer_wang, running, day(10))
    assert ProceedingEnd.objects.count() == 1


def test_proceedings_are_recorded_only_by_those_working_the_case(
    payment_notice, officer_wang, officer_li, custodian_zhou, agency_head_liu, head_zhang
) -> None:
    decision = payment_notice.decision
    for outsider in (officer_li, custodian_zhou, agency_head_liu):
        with pytest.raises(AccessDenied):
            proceedings.record_proceeding(outsider, decision, "litigation", day(2))
    assert not RemedyProceeding.objects.exists()
    denied = AuditEvent.objects.filter(action="payment.proceeding", outcome=Outcome.DENIED)
    assert denied.count() == 3
    # The case's officer and the unit's head may.
    proceeding = proceedings.record_proceeding(head_zhang, decision, "litigation", day(2))
    with pytest.raises(AccessDenied):
        proceedings.end_proceeding(officer_li, proceeding, day(3))
    proceedings.end_proceeding(officer_wang, proceeding, day(3))


# --- the daily job ------------------------------------------------------------------------


def test_refresh_surcharges_stores_the_figures(payment_notice, open_notice, client) -> None:
    assert payment_actions.refresh_surcharges(audit.SYSTEM, day(20)) == 2
    payment_notice.refresh_from_db()
    open_notice.refresh_from_db()
    assert (payment_notice.surcharge_fen, payment_notice.surcharge_on) == (3_000_00, day(20))
    assert (open_notice.surcharge_fen, open_notice.surcharge_on) == (0, day(20))
    [event] = AuditEvent.objects.filter(action="payment.surcharge")
    assert event.details == {"on": day(20).isoformat(), "notices": 2, "updated": 2}
    # A paid notice keeps the figure it was paid with.
    assert (
        post_callback(client, payments.simulated_payment(open_notice.number, FINE)).status_code
        == 200
    )
    assert payment_actions.refresh_surcharges(audit.SYSTEM, day(40)) == 1
    payment_notice.refresh_from_db()
    assert payment_notice.surcharge_fen == FINE


def test_only_the_server_refreshes_the_surcharges(payment_notice, officer_wang) -> None:
    with pytest.raises(AccessDenied):
        payment_actions.refresh_surcharges(officer_wang, day(20))
    assert not AuditEvent.objects.filter(action="payment.surcharge").exists()
    assert payment_actions.refresh_surcharges(audit.SYSTEM, day(20)) == 1


def test_the_scheduled_task_runs_once_a_day(payment_notice) -> None:
    first = tasks.daily_surcharges.call()
    assert first == {"on": timezone.localdate().isoformat(), "notices": 1}
    assert tasks.daily_surcharges.call() is None
    payment_notice.refresh_from_db()
    assert (
        payment_notice.surcharge_on == timezone.localdate() and payment_notice.surcharge_fen == FINE
    )
    assert AuditEvent.objects.filter(action="payment.surcharge").count() == 1


# --- deferral and instalments (Art. 66) ---------------------------------------------------


def _plan(*offsets_and_amounts: tuple[int, int]) -> list[tuple[dt.date, int]]:
    today = timezone.localdate()
    return [(today + dt.timedelta(days=n), fen) for n, fen in offsets_and_amounts]


def test_a_deferral_approved_by_both_heads_creates_the_instalment_notices(
    open_notice, officer_wang, head_zhang, agency_head_liu
) -> None:
    plan = _plan((30, 2_000_00), (60, 3_000_00))
    deferral = deferrals.request_deferral(
        officer_wang, open_notice, reason="当事人经营困难，申请分期缴纳", instalments=plan
    )
    assert deferral.approval.step == "payment_deferral"
    assert deferral.approval.chain == ["unit_head", "agency_head"]
    assert deferral.instalments == [
        {"due_on": plan[0][0].isoformat(), "amount_fen": 2_000_00},
        {"due_on": plan[1][0].isoformat(), "amount_fen": 3_000_00},
    ]
    # Pending: the notice still stands, nothing new yet.
    assert status(open_notice).state == PaymentState.UNPAID
    assert PaymentNotice.objects.count() == 1
    assert "awaiting approval" in refusal_reason(
        deferrals.request_deferral,
        officer_wang,
        open_notice,
        reason="再次申请",
        instalments=plan,
    )
    approve_all(deferral.approval, head_zhang, agency_head_liu)
    instalments = list(open_notice.decision.payment_notices.filter(from_deferral=deferral))
    assert [(n.due_on, n.amount_fen) for n in instalments] == plan
    assert len({n.number for n in instalments} | {open_notice.number}) == 3
    replaced = status(open_notice, D(2027, 6, 1))
    assert replaced.state == PaymentState.REPLACED and replaced.surcharge_fen == 0
    assert replaced.outstanding_fen == 0
    assert status(instalments[0]).due_on == plan[0][0]
    # After its own due date an instalment accrues on its own amount.
    late = status(instalments[0], plan[0][0] + dt.timedelta(days=1))
    assert late.state == PaymentState.OVERDUE and late.surcharge_fen == 60_00
    event = AuditEvent.objects.get(action="payment.notice")
    assert event.details["replaces"] == open_notice.number
    assert AuditEvent.objects.filter(action="payment.deferral").count() == 1
    # The decision's notice (``notice_for``) is still the original one.
    assert notice_of(open_notice.decision) == open_notice


def test_a_replaced_notice_cannot_be_paid(
    client, open_notice, officer_wang, head_zhang, agency_head_liu
) -> None:
    deferral = deferrals.request_deferral(
        officer_wang, open_notice, reason="经营困难", instalments=_plan((30, FINE))
    )
    approve_all(deferral.approval, head_zhang, agency_head_liu)
    response = post_callback(client, payments.simulated_payment(open_notice.number, FINE))
    assert response.status_code == 409 and not Payment.objects.exists()
    assert payment_actions.refresh_surcharges(audit.SYSTEM) == 1  # only the instalment


def test_a_rejected_deferral_leaves_the_notice(open_notice, officer_wang, head_zhang) -> None:
    deferral = deferrals.request_deferral(
        officer_wang, open_notice, reason="经营困难", instalments=_plan((30, FINE))
    )
    from liuhen.cases.actions import approvals as approval_actions

    approval_actions.decide(head_zhang, deferral.approval, approve=False, opinion="理由不充分")
    assert status(open_notice).state == PaymentState.UNPAID
    assert PaymentNotice.objects.count() == 1


@pytest.mark.parametrize(
    ("plan", "reason"),
    [
        ([], "at least one"),
        ([(30, 2_000_00)], "add up to ¥2,000.00; ¥5,000.00 is outstanding"),
        ([(30, 6_000_00), (60, -1_000_00)], "above zero"),
        ([(0, FINE)], "future"),
        ([(60, 2_000_00), (30, 3_000_00)], "earliest first"),
        ([(30, 2_000_00), (30, 3_000_00)], "earliest first"),
    ],
)
def test_instalments_are_checked(open_notice, officer_wang, plan, reason) -> None:
    assert reason in refusal_reason(
        deferrals.request_deferral,
        officer_wang,
        open_notice,
        reason="经营困难",
        instalments=_plan(*plan),
    )
    assert not ApprovalRequest.objects.exists()


def test_a_deferral_needs_a_reason_and_a_case_worker(open_notice, officer_wang, officer_li) -> None:
    assert refusal_reason(
        deferrals.request_deferral,
        officer_wang,
        open_notice,
        reason=" ",
        instalments=_plan((30, FINE)),
    )
    with pytest.raises(AccessDenied):
        deferrals.request_deferral(
            officer_li, open_notice, reason="经营困难", instalments=_plan((30, FINE))
        )


def test_the_outstanding_amount_of_an_overdue_notice_includes_the_surcharge(
    payment_notice, officer_wang
) -> None:
    owed = status(payment_notice).outstanding_fen
    assert owed == 2 * FINE  # months late: capped
    with pytest.raises(ValidationError):
        deferrals.request_deferral(
            officer_wang, payment_notice, reason="经营困难", instalments=_plan((30, FINE))
        )
    deferrals.request_deferral(
        officer_wang, payment_notice, reason="经营困难", instalments=_plan((30, FINE), (60, FINE))
    )


# --- the payment page and the case page section ---------------------------------------------


def test_the_payment_page_shows_status_table_qr_and_forms(
    client, payment_notice, officer_wang
) -> None:
    proceedings.record_proceeding(officer_wang, payment_notice.decision, "litigation", day(3))
    sign_in(client, officer_wang)
    url = reverse("delivery:payments", args=[payment_notice.decision_id])
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert payment_notice.number in html and "洼农（农药）罚〔2026〕12号" in html
    assert 'data-state="overdue"' in html
    assert 'data-testid="surcharge-table"' in html and 'data-testid="payment-qr"' in html
    assert "data:image/svg+xml" in html
    assert 'data-testid="form-end"' in html and 'data-testid="form-deferral"' in html
    assert AuditEvent.objects.filter(action="payment.view", outcome=Outcome.OK).count() == 1


def test_the_payment_page_records_the_end_of_a_proceeding(
    client, payment_notice, officer_wang
) -> None:
    proceeding = proceedings.record_proceeding(
        officer_wang, payment_notice.decision, "litigation", day(3)
    )
    sign_in(client, officer_wang)
    url = reverse("delivery:payments", args=[payment_notice.decision_id])
    refused = client.post(url, {"do": "end", "ended_on": day(1).isoformat()})
    assert refused.status_code == 422
    panel = next(p for p in refused.context["panels"] if p.key == "end")
    assert "ended_on" in panel.form.errors
    assert not ProceedingEnd.objects.exists()
    done = client.post(url, {"do": "end", "ended_on": day(9).isoformat(), "outcome": "驳回"})
    assert done.status_code == 302
    assert ProceedingEnd.objects.get(proceeding=proceeding).outcome == "驳回"


def test_the_payment_page_sends_a_deferral(client, open_notice, officer_wang) -> None:
    sign_in(client, officer_wang)
    url = reverse("delivery:payments", args=[open_notice.decision_id])
    (first, _a), (second, _b) = _plan((30, 0), (60, 0))
    response = client.post(
        url,
        {
            "do": "deferral",
            "notice": open_notice.number,
            "reason": "经营困难",
            "instalments": f"{first} 2000\n{second} 3,000.00\n",
        },
    )
    assert response.status_code == 302
    deferral = open_notice.deferrals.get()
    assert [item["amount_fen"] for item in deferral.instalments] == [2_000_00, 3_000_00]
    bad = client.post(
        url,
        {"do": "proceeding", "kind": "litigation", "started_on": "2030-01-01"},
    )
    assert bad.status_code == 422 and not RemedyProceeding.objects.exists()


def test_the_payment_page_is_not_there_for_another_units_officer(
    client, payment_notice, officer_li, agency_head_liu
) -> None:
    url = reverse("delivery:payments", args=[payment_notice.decision_id])
    sign_in(client, officer_li)
    # Another unit's decision is not there for him (404), and each attempt is audited.
    assert client.get(url).status_code == 404
    assert client.post(url, {"do": "proceeding", "kind": "litigation"}).status_code == 404
    denied = AuditEvent.objects.filter(action="payment.view", outcome=Outcome.DENIED)
    assert [(e.actor_name, e.object_id) for e in denied] == [
        ("officer_li", str(payment_notice.decision_id))
    ] * 2
    assert not RemedyProceeding.objects.exists()
    # The agency head reads it, without the forms of those working the case.
    sign_in(client, agency_head_liu)
    html = client.get(url).content.decode()
    assert payment_notice.number in html and 'data-testid="form-' not in html


def test_the_case_page_shows_the_payment_section(client, payment_notice, officer_wang) -> None:
    sign_in(client, officer_wang)
    html = client.get(
        reverse("cases:detail", args=[payment_notice.decision.case_id])
    ).content.decode()
    assert 'data-section="payments"' in html and payment_notice.number in html
    assert reverse("delivery:payments", args=[payment_notice.decision_id]) in html


def test_refused_bodies_are_recorded_with_what_they_claim(client, open_notice) -> None:
    body = json.dumps({"notice_number": open_notice.number}).encode()
    response = client.post(
        CALLBACK,
        data=body,
        content_type="application/json",
        headers={"X-Liuhen-Signature": "sha256=00", "X-Liuhen-Timestamp": "1"},
    )
    assert response.status_code == 403
    assert refusals()[0].details["notice_number"] == open_notice.number
