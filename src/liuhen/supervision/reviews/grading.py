"""The grade of a scored case file (R22.2): a failed veto item fails it; otherwise its
score against the thresholds of ``law.py``."""

from __future__ import annotations

from decimal import Decimal

from liuhen.core import rules
from liuhen.supervision.models import ReviewGrade


def grade(total: Decimal, *, vetoed: bool) -> ReviewGrade:
    if vetoed or total < Decimal(rules.value("case_review_pass_score")):
        return ReviewGrade.FAIL
    if total >= Decimal(rules.value("case_review_excellent_score")):
        return ReviewGrade.EXCELLENT
    return ReviewGrade.PASS
