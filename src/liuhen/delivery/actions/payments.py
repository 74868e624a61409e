"""Payment of fines (R11.1; 行政处罚法 Art. 66, 67, 72, 73): the gateway's callback, the
payment page of a decision, the public payment page and the daily surcharge.

The agency never takes the money (罚缴分离, Art. 67): a payment exists only as a gateway's
signed callback, recorded once per transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.accounts.models import User
from liuhen.cases.actions.frozen import CaseArchived, refuse_if_archived
from liuhen.cases.models import Decision
from liuhen.core import access, audit
from liuhen.core.audit import Actor
from liuhen.core.models import ActorType, AuditEvent, Outcome
from liuhen.delivery.events import PaymentEvents
from liuhen.delivery.models import Payment, PaymentNotice
from liuhen.delivery.payment import gateway as gateway_module
from liuhen.delivery.payment import status
from liuhen.delivery.payment.gateway import CallbackResult, ForgedCallback
from liuhen.delivery.perms import PaymentPerms


class CallbackRefused(Exception):
    """A verified callback we do not record (amount, notice paid or replaced, conflict)."""


class UnknownNotice(CallbackRefused):
    """The callback names no payment notice of ours."""


def _gateway_actor(name: str) -> Actor:
    return Actor(ActorType.SYSTEM, name, f"payment gateway: {name}")


def _notice_number_in(body: bytes) -> str:
    """The notice number a refused body claims, for the audit record (best effort)."""
    try:
        value = json.loads(body).get("notice_number", "")
    except (ValueError, AttributeError):
        return ""
    return value[:40] if isinstance(value, str) else ""


def _refuse(
    reason: str,
    *,
    actor: Actor,
    remote_addr: str,
    number: str,
    notice: PaymentNotice | None = None,
    request: HttpRequest | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    # Its own transaction: the refusal is kept whatever the caller does next (R1.1).
    with transaction.atomic(durable=True):
        audit.record(
            PaymentEvents.CALLBACK_REFUSED,
            actor=actor,
            request=request,
            obj=notice,
            case_id=notice.decision.case_id if notice is not None else None,
            outcome=Outcome.DENIED,
            details={
                "reason": reason,
                "remote_addr": remote_addr,
                "notice_number": number,
                **(extra or {}),
            },
        )


def receive_callback(
    body: bytes,
    headers: Mapping[str, str],
    *,
    remote_addr: str,
    request: HttpRequest | None = None,
) -> Payment:
    """Record the payment a gateway's signed callback reports (R11.1).

    Refused and audited: a forged or malformed callback (:class:`ForgedCallback`,
    re-raised), an unknown notice (:class:`UnknownNotice`), an amount other than what the
    notice asks on the day paid, or a notice already paid or replaced
    (:class:`CallbackRefused`). The same transaction reported again returns the payment
    already recorded, so a gateway that retries does not pay twice.
    """
    gateway = gateway_module.gateway()
    try:
        result = gateway.verify_callback(body, headers)
    except ForgedCallback as forged:
        _refuse(
            str(forged),
            actor=Actor(ActorType.ANONYMOUS, "", ""),
            remote_addr=remote_addr,
            number=_notice_number_in(body),
            request=request,
        )
        raise
    actor = _gateway_actor(gateway.name)
    # Refused before the transaction, so that the refused attempt stays in the log.
    paid = PaymentNotice.objects.filter(number=result.notice_number).select_related("decision")
    notice_paid = paid.first()
    case_paid = notice_paid.decision.case if notice_paid is not None else None
    try:
        refuse_if_archived(actor, case_paid, "delivery.receive_callback", request=request)
    except CaseArchived as archived:
        # The gateway reads a refused callback (409), as for a notice paid already.
        raise CallbackRefused(" ".join(archived.messages)) from archived
    with transaction.atomic(durable=True):
        payment, refusal, notice = _record_payment(result, gateway.name, remote_addr, request)
    if refusal is not None:
        _refuse(
            str(refusal),
            actor=actor,
            remote_addr=remote_addr,
            number=result.notice_number,
            notice=notice,
            request=request,
            extra={"transaction_id": result.transaction_id, "amount_fen": result.amount_fen},
        )
        raise refusal
    assert payment is not None
    return payment


def _record_payment(
    result: CallbackResult,
    gateway_name: str,
    remote_addr: str,
    request: HttpRequest | None,
) -> tuple[Payment | None, CallbackRefused | None, PaymentNotice | None]:
    # Lock the notice: two deliveries of one callback at once must not both record it.
    notice = (
        PaymentNotice.objects.select_for_update()
        .select_related("decision")
        .filter(number=result.notice_number)
        .first()
    )
    if notice is None:
        return None, UnknownNotice(f"no payment notice {result.notice_number}"), None
    # A payment is reported after it happened: a time ahead of our clock (beyond the skew
    # the signed timestamp is allowed) would date the payment, and its surcharge, wrongly.
    latest = timezone.now() + dt.timedelta(seconds=gateway_module.MAX_CLOCK_SKEW_SECONDS)
    if result.paid_at > latest:
        return None, CallbackRefused(_("The reported payment time is in the future.")), notice
    earlier = Payment.objects.filter(transaction_id=result.transaction_id).first()
    if earlier is not None:
        if earlier.notice_id != notice.pk or earlier.amount_fen != result.amount_fen:
            return None, CallbackRefused("transaction already recorded differently"), notice
        return earlier, None, notice  # a retry: recorded once
    paid_on = timezone.localdate(result.paid_at)
    owed = status.status(notice, paid_on)
    if notice.payments.exists():
        return None, CallbackRefused("notice is paid already"), notice
    if not owed.open:
        return None, CallbackRefused(f"notice is {owed.state}"), notice
    if result.amount_fen != owed.outstanding_fen:
        return (
            None,
            CallbackRefused(f"amount {result.amount_fen} is not {owed.outstanding_fen} owed"),
            notice,
        )
    payment = Payment.objects.create(
        notice=notice,
        amount_fen=result.amount_fen,
        paid_at=result.paid_at,
        gateway=gateway_name,
        transaction_id=result.transaction_id,
        raw=result.raw,
    )
    # The surcharge paid with the fine is the notice's final figure.
    PaymentNotice.objects.filter(pk=notice.pk).update(
        surcharge_fen=owed.surcharge_fen, surcharge_on=paid_on
    )
    audit.record(
        PaymentEvents.PAID,
        actor=_gateway_actor(gateway_name),
        request=request,
        obj=payment,
        case_id=notice.decision.case_id,
        details={
            "notice_number": notice.number,
            "amount_fen": payment.amount_fen,
            "surcharge_fen": owed.surcharge_fen,
            "paid_at": result.paid_at.isoformat(),
            "transaction_id": payment.transaction_id,
            "gateway": gateway_name,
            "remote_addr": remote_addr,
        },
    )
    return payment, None, notice


# --- the public payment page (no login) ------------------------------------------------


@dataclass(frozen=True)
class PublicInstalment:
    number: str
    amount_fen: int
    due_on: dt.date | None


@dataclass(frozen=True)
class PublicNotice:
    """What the payment QR's page shows: the notice, what is owed and the decision's number —
    nothing about the party."""

    number: str
    amount_fen: int
    decision_number: str
    status: status.PaymentStatus
    instalments: list[PublicInstalment]  # when an approved deferral replaced the notice


def look_up_notice(number: str) -> PublicNotice | None:
    """The public facts of the payment notice ``number`` (None: there is none). Anyone with
    the printed QR code may see them; the look-up is not audited, as it reveals only what
    the decision prints."""
    notice = PaymentNotice.objects.select_related("decision").filter(number=number).first()
    if notice is None:
        return None
    current = status.status(notice)
    instalments = []
    if current.state == status.PaymentState.REPLACED:
        instalments = [
            PublicInstalment(n.number, n.amount_fen, n.due_on)
            for n in status.instalments_of(notice)
        ]
    return PublicNotice(
        number=notice.number,
        amount_fen=notice.amount_fen,
        decision_number=notice.decision.number,
        status=current,
        instalments=instalments,
    )


def pay_with_simulator(
    number: str, *, remote_addr: str, request: HttpRequest | None = None
) -> Payment | None:
    """The simulator's "pay" button: a callback signed with the gateway's secret, received
    exactly as the HTTP callback would be. None when the notice is not open (paid or
    replaced meanwhile); ``LookupError`` when there is no such notice or no simulator;
    the callback's own refusals as :func:`receive_callback` raises them."""
    notice = PaymentNotice.objects.filter(number=number).first()
    if notice is None or not gateway_module.simulator_takes_payments():
        raise LookupError(number)
    current = status.status(notice)
    if not current.open:
        return None
    body, headers = gateway_module.sign_callback(
        gateway_module.simulated_payment(notice.number, current.outstanding_fen)
    )
    return receive_callback(body, headers, remote_addr=remote_addr, request=request)


# --- the payment page of a decision --------------------------------------------------------


def view_payments(actor: User, decision: Decision, *, request: HttpRequest | None = None) -> None:
    """Open the payment page of a decision: allowed, or an audited denial."""
    access.require(actor, PaymentPerms.VIEW, decision, request=request)
    with transaction.atomic(durable=True):
        audit.record(PaymentEvents.VIEW, actor=actor, request=request, obj=decision)


# --- the daily surcharge ----------------------------------------------------------------


def refresh_surcharges(actor: Actor, on: dt.date | None = None) -> int:
    """The daily job (R11.1, Art. 72): store each open notice's surcharge as of ``on``
    (today); one audit event per run. Returns how many notices were refreshed."""
    access.require(actor, PaymentPerms.VIEW)  # the server's job: only the system passes
    day = on or timezone.localdate()
    # An archived case's notices stay as they were archived (R18.1).
    found = list(
        status.with_rows(status.open_notices())
        .filter(decision__case__archived_at__isnull=True)
        .order_by("id")
    )
    served = status.served_on_by_case({notice.decision.case_id for notice in found})
    changed = 0
    with transaction.atomic(durable=True):
        for notice in found:
            figure = status.status_on(notice, day, served.get(notice.decision.case_id))
            if figure.surcharge_fen != notice.surcharge_fen or notice.surcharge_on != day:
                PaymentNotice.objects.filter(pk=notice.pk).update(
                    surcharge_fen=figure.surcharge_fen, surcharge_on=day
                )
                changed += 1
        audit.record(
            PaymentEvents.SURCHARGE,
            actor=actor,
            object_type="delivery.paymentnotice",
            details={"on": day.isoformat(), "notices": len(found), "updated": changed},
        )
    return len(found)


def daily_surcharges(actor: Actor) -> dict[str, Any] | None:
    """The surcharges refreshed once a local day (None: done today already), so restarts
    and several schedulers do not recompute twice."""
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    if AuditEvent.objects.filter(action=PaymentEvents.SURCHARGE, time__gte=midnight).exists():
        return None
    today = timezone.localdate()
    return {"on": today.isoformat(), "notices": refresh_surcharges(actor, today)}
