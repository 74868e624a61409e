"""The one door of findings: raising one (once per dedupe key) and closing it.

Raising is the scheduler's, an event's or a reviewer's: ``actor`` is ``None`` for the
system. Closing is a supervisor's, by a rectification or a dismissal with a reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from liuhen.core import audit
from liuhen.supervision.events import FindingEvents
from liuhen.supervision.models import ClosedBy, Finding, FindingClosure, Severity

if TYPE_CHECKING:
    from django.db.models import Model

    from liuhen.accounts.models import Unit, User
    from liuhen.cases.models import Case


def raise_finding(
    actor: User | None,
    *,
    kind: str,
    article: str,
    summary: str,
    dedupe_key: str,
    severity: str = Severity.MAJOR,
    case: Case | None = None,
    unit: Unit | None = None,
    officer: User | None = None,
    about: Model | None = None,
    evidence: Iterable[dict[str, Any]] = (),
) -> tuple[Finding, bool]:
    """The finding of ``dedupe_key``, and whether this call raised it.

    The unit defaults to the case's, so every finding has an owner to rectify it.
    """
    existing = Finding.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing, False
    if unit is None and case is not None:
        unit = case.unit
    fields: dict[str, Any] = {
        "kind": kind,
        "article": article,
        "summary": str(summary)[:300],
        "severity": severity,
        "case": case,
        "unit": unit,
        "officer": officer,
        "evidence": list(evidence),
        "dedupe_key": dedupe_key[:200],
        "raised_by": actor,
    }
    if about is not None:
        fields["object_type"] = about._meta.label_lower
        fields["object_id"] = str(about.pk)
    try:
        with transaction.atomic():
            finding = Finding.objects.create(**fields)
            audit.record(
                FindingEvents.RAISE,
                actor=actor,
                obj=finding,
                case_id=case.pk if case is not None else None,
                details={"kind": kind, "article": article, "dedupe_key": fields["dedupe_key"]},
            )
    except IntegrityError:
        # Raised by a concurrent call between the look and the insert.
        return Finding.objects.get(dedupe_key=fields["dedupe_key"]), False
    return finding, True


def _close(actor: User, finding: Finding, *, how: ClosedBy, reason: str) -> FindingClosure:
    """Close an open finding; callers check access and compose it in their transaction."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason the finding is closed."), code="reason")
    if FindingClosure.objects.filter(finding=finding).exists():
        raise ValidationError(_("The finding is closed already."), code="closed")
    closure = FindingClosure.objects.create(
        finding=finding, how=how, reason=reason, closed_by=actor
    )
    audit.record(
        FindingEvents.CLOSE,
        actor=actor,
        obj=finding,
        case_id=finding.case_id,
        details={"how": str(how), "reason": reason},
    )
    return closure
