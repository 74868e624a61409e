"""Helpers the tests of the case pages share."""

from __future__ import annotations

from liuhen.core.models import AuditEvent, Outcome


def denials(action: str, object_type: str, pk: int) -> int:
    """How many denied attempts at ``action`` on the object ``object_type``/``pk`` the log
    holds (a hidden object's 404 and a visible one's 403 are both audited)."""
    return AuditEvent.objects.filter(
        action=action, outcome=Outcome.DENIED, object_type=object_type, object_id=str(pk)
    ).count()
