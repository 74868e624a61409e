"""Payment notices 缴款通知 (R11.1): one per penalty decision with a fine, printed as the
payment QR code on the decision; an approved deferral or instalment plan adds its own.

A notice is made by the documents app's issue of a decision, through the behaviour
``payment_qr`` this app provides (:class:`PaymentQr`, registered in ``ready()``), inside the
issue's transaction; the deferral's approval makes the others.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from liuhen.cases.models import Decision
from liuhen.delivery.models import Deferral, PaymentNotice
from liuhen.delivery.payment.gateway import gateway


def _number(decision: Decision, seq: int) -> str:
    # Year, decision id and a sequence: unique, and readable over the phone. A mod-97 check
    # pair lets the gateway (or a clerk) catch a mistyped number.
    body = f"{timezone.localdate(decision.decided_at).year}{decision.pk:08d}{seq:02d}"
    return f"{body}{98 - (int(body) * 100) % 97:02d}"


def _first_notice(decision: Decision) -> PaymentNotice | None:
    return decision.payment_notices.filter(from_deferral__isnull=True).order_by("id").first()


def _notice_for(decision: Decision, *, create: bool) -> PaymentNotice | None:
    """The decision's payment notice (its first, for the whole fine); made in the caller's
    transaction when asked and the decision imposes a fine."""
    notice = _first_notice(decision)
    if notice is not None or not create or decision.fine_fen <= 0:
        return notice
    # The decision row's lock serialises the sequence (a concurrent first notice waits).
    Decision.objects.select_for_update().filter(pk=decision.pk).values("pk").get()
    notice = _first_notice(decision)
    if notice is not None:
        return notice
    seq = decision.payment_notices.count() + 1
    return PaymentNotice.objects.create(
        decision=decision, number=_number(decision, seq), amount_fen=decision.fine_fen
    )


def _new_notice(
    decision: Decision, amount_fen: int, due_on: dt.date | None, deferral: Deferral | None
) -> PaymentNotice:
    """Another notice of the decision (an instalment), in the caller's transaction."""
    Decision.objects.select_for_update().filter(pk=decision.pk).values("pk").get()
    seq = decision.payment_notices.count() + 1
    return PaymentNotice.objects.create(
        decision=decision,
        number=_number(decision, seq),
        amount_fen=amount_fen,
        due_on=due_on,
        from_deferral=deferral,
    )


class PaymentQr:
    """The behaviour ``payment_qr`` of a form (R11.1): a penalty decision prints the QR
    code of its payment notice, the notice made when the decision is issued."""

    key = "payment_qr"

    def at_issue(self, decision: Decision, *, create: bool) -> tuple[str, str]:
        """The payment page's URL and the notice number for ``decision`` ("" without a
        fine); with ``create``, the notice is made inside the issuing transaction."""
        notice = _notice_for(decision, create=create)
        if notice is None:
            return "", ""
        return gateway().pay_url(notice.number, notice.amount_fen), notice.number

    def url(self, number: str) -> str:
        """The payment page of the notice ``number`` printed on an issued document."""
        notice = PaymentNotice.objects.filter(number=number).first()
        return "" if notice is None else gateway().pay_url(notice.number, notice.amount_fen)
