"""Which AV records are linked to what (R16.1): a link counts until it is withdrawn."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from liuhen.media.models import AvLink

if TYPE_CHECKING:
    from liuhen.activities.models import Activity


def current_links() -> QuerySet[AvLink]:
    """Links not withdrawn, of records not disposed of."""
    return AvLink.objects.filter(unlink__isnull=True, record__disposal__isnull=True)


def linked_count(activity: Activity) -> int:
    """The AV records linked to ``activity`` (the activities app's counter, R5.2)."""
    return current_links().filter(activity=activity).values("record").distinct().count()
