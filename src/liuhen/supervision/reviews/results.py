"""The results of 案卷评查 (R22.2) per unit and per officer who worked the case: how many
files were scored, their average, how many excellent and how many failed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet

from liuhen.supervision.models import CaseReview, ReviewGrade


@dataclass(frozen=True)
class Row:
    name: str
    reviewed: int
    average: Decimal
    excellent: int
    failed: int


_AGGREGATES: dict[str, Any] = {
    "reviewed": Count("id", distinct=True),
    "average": Avg("total"),
    "excellent": Count("id", filter=Q(grade=ReviewGrade.EXCELLENT), distinct=True),
    "failed": Count("id", filter=Q(grade=ReviewGrade.FAIL), distinct=True),
}


def _rows(reviews: QuerySet[CaseReview], name: str) -> list[Row]:
    table = reviews.order_by().values(name).annotate(**_AGGREGATES).order_by(name)
    return [
        Row(
            name=row[name] or "—",
            reviewed=row["reviewed"],
            average=Decimal(row["average"] or 0).quantize(Decimal("0.1")),
            excellent=row["excellent"],
            failed=row["failed"],
        )
        for row in table
    ]


def per_unit(reviews: QuerySet[CaseReview]) -> list[Row]:
    return _rows(reviews, "unit__name")


def per_officer(reviews: QuerySet[CaseReview]) -> list[Row]:
    return _rows(reviews.filter(case__officers__isnull=False), "case__officers__full_name")
