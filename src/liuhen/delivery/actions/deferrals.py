"""Deferred or instalment payment 延期（分期）缴纳 (行政处罚法 Art. 66): asked for with the
party's reason, in effect once approved (step ``payment_deferral``), when new notices
replace the one deferred."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liuhen.accounts.models import User
from liuhen.cases import approvals
from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.actions.frozen import refuse_if_archived
from liuhen.cases.models import ApprovalRequest, ApprovalStatus
from liuhen.core import access, audit
from liuhen.core.audit import Actor
from liuhen.delivery.actions import notices
from liuhen.delivery.events import PaymentEvents
from liuhen.delivery.models import Deferral, PaymentNotice
from liuhen.delivery.payment import status
from liuhen.delivery.perms import PaymentPerms

Instalment = tuple[dt.date, int]  # (due on, amount in fen)


def _check_instalments(instalments: list[Instalment], outstanding: int) -> None:
    if not instalments:
        raise ValidationError({"instalments": [_("Give at least one instalment.")]})
    today = timezone.localdate()
    previous: dt.date | None = None
    for due_on, amount in instalments:
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise ValidationError({"instalments": [_("Every amount must be above zero.")]})
        if due_on <= today:
            raise ValidationError({"instalments": [_("Every due date must be in the future.")]})
        if previous is not None and due_on <= previous:
            raise ValidationError(
                {"instalments": [_("The due dates must follow one another, earliest first.")]}
            )
        previous = due_on
    total = sum(amount for _due, amount in instalments)
    if total != outstanding:
        raise ValidationError(
            {
                "instalments": [
                    _("The instalments add up to ¥%(total)s; ¥%(owed)s is outstanding.")
                    % {"total": f"{total / 100:,.2f}", "owed": f"{outstanding / 100:,.2f}"}
                ]
            }
        )


def request_deferral(
    actor: User,
    notice: PaymentNotice,
    *,
    reason: str,
    instalments: list[Instalment],
    request: HttpRequest | None = None,
) -> Deferral:
    """Ask the heads to approve deferred payment (one instalment) or payment in instalments
    of what ``notice`` asks (Art. 66); on approval new notices replace it."""
    decision = notice.decision
    access.require(actor, PaymentPerms.DEFERRAL, decision, request=request)
    refuse_if_archived(actor, decision.case, "delivery.request_deferral", request=request)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the party's reason.")]})
    instalments = list(instalments)
    current = status.status(notice)
    if not current.open:
        raise ValidationError(_("This notice is paid or replaced already."), code="state")
    _check_instalments(instalments, current.outstanding_fen)
    with transaction.atomic(durable=True):
        PaymentNotice.objects.select_for_update().filter(pk=notice.pk).first()
        if Deferral.objects.filter(notice=notice, approval__status=ApprovalStatus.PENDING).exists():
            raise ValidationError(
                _("A deferral of this notice is awaiting approval already."), code="duplicate"
            )
        # About the decision: one deferral request of a decision awaits approval at a time.
        approval_request = approval_actions.request_approval_about(
            actor, decision.case, "payment_deferral", note=reason, about=decision, request=request
        )
        deferral = Deferral.objects.create(
            notice=notice,
            reason=reason,
            requested_by=actor,
            requested_at=approval_request.requested_at,
            approval=approval_request,
            instalments=[
                {"due_on": due_on.isoformat(), "amount_fen": amount}
                for due_on, amount in instalments
            ],
        )
        audit.record(
            PaymentEvents.DEFERRAL,
            actor=actor,
            request=request,
            obj=deferral,
            case_id=decision.case_id,
            details={
                "notice_number": notice.number,
                "reason": reason,
                "instalments": deferral.instalments,
                "approval": approval_request.pk,
            },
        )
    return deferral


def _deferral_approved(
    actor: User | Actor, approval_request: ApprovalRequest, request: HttpRequest | None
) -> None:
    """Art. 66: the approved plan's notices replace the original one."""
    deferral = Deferral.objects.select_related("notice__decision").get(approval=approval_request)
    decision = deferral.notice.decision
    created = [
        notices._new_notice(
            decision, int(item["amount_fen"]), dt.date.fromisoformat(item["due_on"]), deferral
        )
        for item in deferral.instalments
    ]
    audit.record(
        PaymentEvents.NOTICE,
        actor=actor,
        request=request,
        obj=deferral,
        case_id=decision.case_id,
        details={
            "replaces": deferral.notice.number,
            "notices": [
                {"number": n.number, "amount_fen": n.amount_fen, "due_on": str(n.due_on)}
                for n in created
            ],
        },
    )


# Art. 66: deferred or instalment payment takes effect when approved.
APPROVAL_STEPS = (
    approvals.ApprovalStep(
        "payment_deferral",
        gettext_lazy("Deferred or instalment payment (延期、分期缴纳)"),
        on_approved=_deferral_approved,
    ),
)
