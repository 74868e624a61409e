"""The one door of spot checks (R22.3): create a plan, draw its sample, review a record.

Drawing records the seed and the digest of each unit's population with the sample, so
anyone recomputes it (``spot_checks.sampling``). A review answers the Art. 13 checklist of
the record's activity type and the Art. 14 prohibitions; each item found missing and each
prohibition breached raises a finding.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from liuhen.core import access, audit
from liuhen.supervision.actions.findings import raise_finding
from liuhen.supervision.events import SpotCheckEvents
from liuhen.supervision.models import (
    Answer,
    PlanPeriod,
    Severity,
    SpotCheckItem,
    SpotCheckPlan,
    SpotCheckReview,
    SpotCheckSample,
)
from liuhen.supervision.perms import SpotCheckPerms
from liuhen.supervision.rectification import catalogue
from liuhen.supervision.spot_checks import checklist, sampling
from liuhen.supervision.spot_checks.population import linked_activity, population

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.accounts.models import Unit, User

ITEM_MISSING = catalogue.SPOT_CHECK_ITEM_MISSING
PROHIBITED_ACT = catalogue.SPOT_CHECK_PROHIBITED_ACT


def period_start_of(period: str, day: dt.date) -> dt.date:
    """The first day of the month or quarter ``day`` falls in."""
    if period == PlanPeriod.QUARTERLY:
        return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return dt.date(day.year, day.month, 1)


def create_plan(
    actor: User,
    *,
    title: str,
    period: str,
    period_start: dt.date,
    units: Iterable[Unit],
    sample_count: int | None = None,
    sample_percent: int | None = None,
    request: HttpRequest | None = None,
) -> SpotCheckPlan:
    access.require(actor, SpotCheckPerms.PLAN, request=request)
    title = (title or "").strip()[:200]
    units = list(units)
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Give the plan a title.")]
    if period not in PlanPeriod.values:
        errors["period"] = [_("Choose monthly or quarterly.")]
    if not units:
        errors["units"] = [_("Choose at least one unit.")]
    if (sample_count is None) == (sample_percent is None):
        errors["sample_count"] = [_("Give either a number of records or a percentage per unit.")]
    elif sample_count is not None and sample_count < 1:
        errors["sample_count"] = [_("Sample at least one record per unit.")]
    elif sample_percent is not None and not 1 <= sample_percent <= 100:
        errors["sample_percent"] = [_("The percentage is between 1 and 100.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        plan = SpotCheckPlan.objects.create(
            title=title,
            period=period,
            period_start=period_start_of(period, period_start),
            sample_count=sample_count,
            sample_percent=sample_percent,
            created_by=actor,
        )
        plan.units.set(units)
        audit.record(
            SpotCheckEvents.PLAN,
            actor=actor,
            request=request,
            obj=plan,
            details={
                "period": period,
                "period_start": plan.period_start.isoformat(),
                "units": sorted(unit.pk for unit in units),
                "sample_count": sample_count,
                "sample_percent": sample_percent,
            },
        )
    return plan


def draw_sample(
    actor: User, plan: SpotCheckPlan, *, request: HttpRequest | None = None
) -> list[SpotCheckSample]:
    """Draw the sample of each of the plan's units not drawn yet (once per unit)."""
    access.require(actor, SpotCheckPerms.PLAN, plan, request=request)
    drawn: list[SpotCheckSample] = []
    with transaction.atomic(durable=True):
        done = set(plan.samples.values_list("unit_id", flat=True))
        units = [unit for unit in plan.units.order_by("pk") if unit.pk not in done]
        if not units:
            raise ValidationError(_("The sample of this plan is drawn already."))
        for unit in units:
            ids = population(plan, unit)
            size = sampling.sample_size(
                len(ids), count=plan.sample_count, percent=plan.sample_percent
            )
            seed = sampling.new_seed()
            chosen = sampling.draw(ids, seed, size)
            sample = SpotCheckSample.objects.create(
                plan=plan,
                unit=unit,
                seed=seed,
                population_digest=sampling.population_digest(ids),
                population_size=len(ids),
                size=len(chosen),
                record_ids=chosen,
                drawn_by=actor,
            )
            SpotCheckItem.objects.bulk_create(
                SpotCheckItem(sample=sample, record_id=pk) for pk in chosen
            )
            audit.record(
                SpotCheckEvents.DRAW,
                actor=actor,
                request=request,
                obj=sample,
                details={
                    "plan": plan.pk,
                    "unit": unit.pk,
                    "seed": str(seed),
                    "population_digest": sample.population_digest,
                    "population": len(ids),
                    "records": chosen,
                },
            )
            drawn.append(sample)
    return drawn


def recompute(sample: SpotCheckSample, ids: Iterable[int]) -> list[int]:
    """The sample drawn again from ``ids`` with the recorded seed; refused when ``ids``
    are not the population it was drawn from (their digest differs)."""
    ids = list(ids)
    if sampling.population_digest(ids) != sample.population_digest:
        raise ValidationError(_("These records are not the population the sample was drawn from."))
    return sampling.draw(ids, sample.seed, sample.size)


def _score(
    items: tuple[checklist.Item, ...], answers: Mapping[str, str], breached: list[str]
) -> tuple[int, bool]:
    applicable = [item for item in items if answers[item.code] != Answer.NOT_APPLICABLE]
    filmed = sum(1 for item in applicable if answers[item.code] == Answer.FILMED)
    score = round(100 * filmed / len(applicable)) if applicable else 100
    return score, filmed == len(applicable) and not breached


def review_record(
    actor: User,
    item: SpotCheckItem,
    *,
    answers: Mapping[str, str],
    prohibitions: Iterable[str] = (),
    comment: str = "",
    request: HttpRequest | None = None,
) -> SpotCheckReview:
    """Review one sampled record; each Art. 13 item missing and each Art. 14 prohibition
    breached raises a finding against the record's unit and officer."""
    access.require(actor, SpotCheckPerms.REVIEW, item, request=request)
    record = item.record
    activity = linked_activity(record)
    type_code = activity.type.code if activity is not None else ""
    items = checklist.items_for(type_code)
    clean: dict[str, str] = {}
    for entry in items:
        answer = str(answers.get(entry.code) or "")
        if answer not in Answer.values:
            raise ValidationError(_("Answer every item of the checklist."), code="answers")
        clean[entry.code] = answer
    breached = sorted({str(code) for code in prohibitions})
    if any(code not in checklist.ART14_BY_CODE for code in breached):
        raise ValidationError(_("Unknown prohibited act."), code="prohibitions")
    score, passed = _score(items, clean, breached)
    case = activity.case if activity is not None else None
    if case is not None and case.archived_at is not None:
        case = None  # an archived case takes nothing more; the finding is the unit's
    with transaction.atomic(durable=True):
        if SpotCheckReview.objects.select_for_update().filter(item=item).exists():
            raise ValidationError(_("This record is reviewed already."), code="reviewed")
        review = SpotCheckReview.objects.create(
            item=item,
            reviewer=actor,
            activity_type=type_code,
            answers=clean,
            prohibitions=breached,
            score=score,
            passed=passed,
            comment=(comment or "").strip(),
        )
        audit.record(
            SpotCheckEvents.REVIEW,
            actor=actor,
            request=request,
            obj=review,
            details={"record": record.pk, "score": score, "passed": passed},
        )
        evidence = [
            {"label": str(record), "object_type": "media.avrecord", "object_id": str(record.pk)},
            {
                "label": _("Spot-check review"),
                "object_type": "supervision.spotcheckreview",
                "object_id": str(review.pk),
            },
        ]
        found: list[tuple[str, str, Severity, checklist.Item]] = [
            (ITEM_MISSING, checklist.ART13_REQUIREMENT, Severity.MAJOR, entry)
            for entry in items
            if clean[entry.code] == Answer.MISSING
        ] + [
            (PROHIBITED_ACT, checklist.ART14_REQUIREMENT, Severity.SERIOUS, entry)
            for code in breached
            for entry in (checklist.ART14_BY_CODE[code],)
        ]
        for kind, article, severity, entry in found:
            if kind == ITEM_MISSING:
                summary = _("Spot check of AV-%(record)s: not filmed — %(item)s")
            else:
                summary = _("Spot check of AV-%(record)s: prohibited act — %(item)s")
            raise_finding(
                actor,
                kind=kind,
                article=article,
                summary=summary % {"record": record.pk, "item": entry.text},
                dedupe_key=f"spot_check:{review.pk}:{entry.code}",
                severity=severity,
                case=case,
                unit=record.unit,
                officer=record.officer,
                about=record,
                evidence=evidence,
            )
    return review
