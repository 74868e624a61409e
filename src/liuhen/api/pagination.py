"""Limit/offset pagination: ``{"items": [...], "count": N, "limit": L, "offset": O}``.

``count`` is the number of objects the caller may see in total, computed on the same
access-filtered queryset as the page (R21.2: no count reveals hidden objects).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 2**63 - 1  # the database's largest integer: SQLite refuses a larger OFFSET


class Pagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="page size")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="items to skip")

    class Output(Schema):
        items: list[Any]
        count: int
        limit: int
        offset: int

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)

    def paginate_queryset(
        self,
        queryset: QuerySet[Any],
        pagination: Any,
        request: HttpRequest,
        **params: Any,
    ) -> dict[str, Any]:
        limit = min(pagination.limit, self.max_limit)
        offset = pagination.offset
        return {
            "items": queryset[offset : offset + limit],
            "count": self._items_count(queryset),
            "limit": limit,
            "offset": offset,
        }
