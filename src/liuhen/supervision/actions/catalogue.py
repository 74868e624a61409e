"""The daily findings run and the dismissal of a finding (制度第二十三条).

The run raises a stored finding for every instance the catalogue detects, once per
dedupe key; the scheduler calls it as the system. A finding ends only by a rectification
(``actions.rectification``) or by a supervisor's dismissal with a reason, here.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from django.db import transaction

from liuhen.core import access
from liuhen.supervision.actions.findings import _close, raise_finding
from liuhen.supervision.models import ClosedBy, Finding, FindingClosure
from liuhen.supervision.perms import FindingPerms
from liuhen.supervision.rectification import catalogue

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.accounts.models import User


def raise_daily_findings() -> dict[str, int]:
    """Raise what the catalogue finds today; answers how many were new, per kind."""
    raised: Counter[str] = Counter()
    for candidate in catalogue.candidates():
        _finding, new = raise_finding(
            None,
            kind=candidate.kind.code,
            article=candidate.kind.article,
            summary=candidate.summary,
            dedupe_key=candidate.dedupe_key,
            severity=candidate.kind.severity,
            case=candidate.case,
            unit=candidate.unit,
            officer=candidate.officer,
            about=candidate.about,
            evidence=candidate.evidence,
        )
        if new:
            raised[candidate.kind.code] += 1
    return dict(raised)


def dismiss_finding(
    actor: User, finding: Finding, *, reason: str, request: HttpRequest | None = None
) -> FindingClosure:
    """A supervisor closes a finding that needs no rectification, saying why."""
    access.require(actor, FindingPerms.DISMISS, finding, request=request)
    with transaction.atomic(durable=True):
        return _close(actor, finding, how=ClosedBy.DISMISSED, reason=reason)
