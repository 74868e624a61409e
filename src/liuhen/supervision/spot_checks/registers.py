"""The spot-check ledger 抽查台账 (R22.3, R4.3): each sampled AV record with its review,
filtered by unit and the day the sample was drawn; the register kit writes its exports."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from liuhen.core import access
from liuhen.core.registers import Column, Register, date_filters, local_date, unit_filter, yes
from liuhen.supervision.events import SpotCheckEvents
from liuhen.supervision.models import Answer, SpotCheckItem
from liuhen.supervision.perms import SpotCheckPerms
from liuhen.supervision.spot_checks import checklist

PAGE_SIZE = 50


def filtered(
    user: Any, params: Mapping[str, Any]
) -> tuple[QuerySet[SpotCheckItem], dict[str, str]]:
    items = access.visible(
        user,
        SpotCheckItem.objects.select_related(
            "sample__plan", "sample__unit", "record__officer", "review__reviewer"
        ),
    )
    filters = {**unit_filter(params), **date_filters(params)}
    if filters.get("unit"):
        items = items.filter(sample__unit_id=int(filters["unit"]))
    if filters.get("date_from"):
        items = items.filter(sample__plan__period_start__gte=filters["date_from"])
    if filters.get("date_to"):
        items = items.filter(sample__plan__period_start__lte=filters["date_to"])
    return items.order_by("-sample__drawn_at", "sample_id", "record_id"), filters


def _review(item: SpotCheckItem) -> Any:
    return item.review_or_none()


def missing_items(item: SpotCheckItem) -> str:
    review = _review(item)
    if review is None:
        return ""
    texts = [
        str(checklist.ART13_BY_CODE[code].text)
        for code, answer in review.answers.items()
        if answer == Answer.MISSING and code in checklist.ART13_BY_CODE
    ]
    return "；".join(texts)


def breached(item: SpotCheckItem) -> str:
    review = _review(item)
    if review is None:
        return ""
    return "；".join(
        str(checklist.ART14_BY_CODE[code].text)
        for code in review.prohibitions
        if code in checklist.ART14_BY_CODE
    )


def _on_review(attribute: str) -> Any:
    def value(item: SpotCheckItem) -> Any:
        review = _review(item)
        return getattr(review, attribute) if review is not None else None

    return value


class SpotCheckLedger(Register[SpotCheckItem]):
    title = _("Spot-check ledger")
    file_stem = "spot-check-ledger"
    permission = SpotCheckPerms.VIEW
    event = SpotCheckEvents.EXPORT
    object_type = "supervision.spotcheckitem"
    columns = (
        Column(_("Plan"), lambda item: item.sample.plan.title),
        Column(_("Period starts"), lambda item: item.sample.plan.period_start),
        Column(_("Unit"), lambda item: item.sample.unit.name),
        Column(_("AV record"), lambda item: f"AV-{item.record_id}"),
        Column(_("File name"), lambda item: item.record.original_name),
        Column(
            _("Officer"),
            lambda item: item.record.officer.display_name if item.record.officer else "",
        ),
        Column(_("Captured at"), lambda item: item.record.captured_at),
        Column(_("Drawn on"), lambda item: local_date(item.sample.drawn_at)),
        Column(
            _("Reviewer"),
            lambda item: review.reviewer.display_name if (review := _review(item)) else "",
        ),
        Column(_("Reviewed at"), _on_review("reviewed_at")),
        Column(_("Score"), _on_review("score")),
        Column(_("Passed"), lambda item: yes(review.passed) if (review := _review(item)) else ""),
        Column(_("Not filmed"), missing_items),
        Column(_("Prohibited acts"), breached),
        Column(_("Comment"), _on_review("comment")),
    )


LEDGER = SpotCheckLedger()
