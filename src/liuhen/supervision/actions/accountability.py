"""Accountability records 责任追究 (制度第二十三条): a supervisor records the facts, the
rule, the decision and its document, with the findings it rests on; reading one is
audited, since it concerns a person's discipline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from liuhen.core import access, audit
from liuhen.supervision.events import AccountabilityEvents
from liuhen.supervision.models import AccountabilityRecord, Finding
from liuhen.supervision.perms import AccountabilityPerms

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.accounts.models import Unit, User


def record_accountability(
    actor: User,
    *,
    unit: Unit,
    person: User | None,
    facts: str,
    rule: str,
    decision: str,
    decision_document: str,
    decided_on: dt.date,
    findings: Iterable[Finding] = (),
    request: HttpRequest | None = None,
) -> AccountabilityRecord:
    access.require(actor, AccountabilityPerms.RECORD, request=request)
    required = {
        "facts": (facts, _("State the facts.")),
        "rule": (rule, _("Name the rule that was broken.")),
        "decision": (decision, _("State the decision.")),
        "decision_document": (decision_document, _("Give the decision document's number.")),
    }
    errors = {name: [message] for name, (value, message) in required.items() if not value.strip()}
    if errors:
        raise ValidationError(errors)
    findings = list(findings)
    with transaction.atomic(durable=True):
        record = AccountabilityRecord.objects.create(
            unit=unit,
            person=person,
            facts=facts.strip(),
            rule=rule.strip(),
            decision=decision.strip(),
            decision_document=decision_document.strip(),
            decided_on=decided_on,
            recorded_by=actor,
        )
        record.findings.set(findings)
        audit.record(
            AccountabilityEvents.RECORD,
            actor=actor,
            request=request,
            obj=record,
            details={"unit": unit.pk, "findings": [f.pk for f in findings]},
        )
    return record


def view_accountability(
    actor: User, record: AccountabilityRecord, *, request: HttpRequest | None = None
) -> AccountabilityRecord:
    access.require(actor, AccountabilityPerms.VIEW, record, request=request)
    with transaction.atomic(durable=True):
        audit.record(AccountabilityEvents.VIEW, actor=actor, request=request, obj=record)
    return record
