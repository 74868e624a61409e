"""Conflict of interest in spot checks (R22.3): a reviewer never reviews the footage of
their own unit, footage they recorded or uploaded, or footage of a case they work on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from liuhen.cases.models import Case

if TYPE_CHECKING:
    from liuhen.accounts.models import User
    from liuhen.media.models import AvRecord


def linked_cases(record: AvRecord) -> Q:
    """The cases the record is linked to, directly or through an activity (links in force)."""
    return Q(av_links__record=record, av_links__unlink__isnull=True) | Q(
        activities__av_links__record=record, activities__av_links__unlink__isnull=True
    )


def has_conflict(user: User, record: AvRecord) -> bool:
    if user.unit_id is not None and record.unit_id == user.unit_id:
        return True
    if user.pk in (record.officer_id, record.uploaded_by_id):
        return True
    cases = Case.objects.filter(linked_cases(record))
    return cases.filter(Q(officers=user) | Q(unit_id=user.unit_id or 0)).exists()
