"""Changes to the legal rules and the holiday calendar: the system admin's door (R2.1).

Each action checks ``config.manage``, validates (floors and ceilings of ``core.rules``),
changes the data and writes its audit event in one transaction. ``actor`` may be
:data:`liuhen.core.audit.SYSTEM` for management commands.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.core import access, audit, confcache, rules
from liuhen.core.events import CalendarEvents, RuleEvents
from liuhen.core.models import (
    CalendarDay,
    CalendarSource,
    CalendarYear,
    DayKind,
    RuleOverride,
)
from liuhen.core.perms import ConfigPerms

if TYPE_CHECKING:
    from django.http import HttpRequest

ConfigActor = AbstractBaseUser | audit.Actor


def _require(actor: ConfigActor, request: HttpRequest | None) -> None:
    access.require(actor, ConfigPerms.MANAGE, request=request)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason for the change."), code="reason_required")
    return reason


def _json(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _person(actor: ConfigActor) -> tuple[Any, str]:
    # The account (an accounts.User, which core knows only by its base class), or none.
    if isinstance(actor, AbstractBaseUser):
        return actor, actor.get_username()
    return None, actor.name


# --- rules ---------------------------------------------------------------------------


def set_rule(
    actor: ConfigActor, key: str, value: Any, reason: str, *, request: HttpRequest | None = None
) -> rules.Rule:
    """Give rule ``key`` a new value (validated against its floor and ceiling)."""
    _require(actor, request)
    rule = rules.definition(key)
    reason = _reason(reason)
    checked = rules.validate(rule, value)
    return _override(
        actor, rule, checked, reason, RuleEvents.SET, {"default": _json(rule.default)}, request
    )


def reset_rule(
    actor: ConfigActor, key: str, reason: str, *, request: HttpRequest | None = None
) -> rules.Rule:
    """Put rule ``key`` back to the default written in the catalog."""
    _require(actor, request)
    rule = rules.definition(key)
    reason = _reason(reason)
    return _override(actor, rule, None, reason, RuleEvents.RESET, {}, request)


def _override(
    actor: ConfigActor,
    rule: rules.Rule,
    value: Any,
    reason: str,
    event: str,
    extra: dict[str, Any],
    request: HttpRequest | None,
) -> rules.Rule:
    """Record ``value`` for ``rule`` (None: back to its default) and its event, in one
    durable transaction; the cached values are dropped after it."""
    before = rules.value(rule.key)
    user, name = _person(actor)
    with transaction.atomic(durable=True):
        row = RuleOverride.objects.create(
            key=rule.key, value=value, reason=reason, changed_by=user, changed_by_name=name
        )
        audit.record(
            event,
            actor=actor,
            request=request,
            obj=row,
            details={
                "key": rule.key,
                "from": _json(before),
                "to": _json(rule.default if value is None else value),
                **extra,
                "reason": reason,
            },
        )
    confcache.invalidate()
    return rules.get(rule.key)


# --- calendar ------------------------------------------------------------------------


def _touch_year(year: int) -> CalendarYear:
    """The year's row, created as incomplete; saving it marks the calendar as changed."""
    row, _created = CalendarYear.objects.select_for_update().get_or_create(
        year=year, defaults={"complete": False, "source": CalendarSource.ADMIN}
    )
    row.save(update_fields=["updated_at"])
    return row


def set_calendar_day(
    actor: ConfigActor,
    day: dt.date,
    kind: str,
    name: str,
    reason: str,
    *,
    request: HttpRequest | None = None,
) -> CalendarDay:
    """Enter a statutory holiday or a make-up working day (e.g. the 2027 schedule)."""
    _require(actor, request)
    reason = _reason(reason)
    if kind not in DayKind.values:
        raise ValidationError(_("Unknown kind of day."), code="invalid")
    if kind == DayKind.WORKDAY and day.weekday() < 5:
        raise ValidationError(
            _("A make-up working day must be a Saturday or Sunday."), code="not_weekend"
        )
    with transaction.atomic(durable=True):
        _touch_year(day.year)
        existing = CalendarDay.objects.select_for_update().filter(date=day).first()
        before = {"kind": existing.kind, "name": existing.name} if existing else None
        row, _created = CalendarDay.objects.update_or_create(
            date=day,
            defaults={"kind": kind, "name": name.strip(), "source": CalendarSource.ADMIN},
        )
        audit.record(
            CalendarEvents.DAY_SET,
            actor=actor,
            request=request,
            obj=row,
            details={
                "date": day.isoformat(),
                "kind": kind,
                "name": row.name,
                "before": before,
                "reason": reason,
            },
        )
    confcache.invalidate()
    return row


def remove_calendar_day(
    actor: ConfigActor, day: dt.date, reason: str, *, request: HttpRequest | None = None
) -> None:
    """Take a day out of the table: it becomes an ordinary weekday or weekend day again."""
    _require(actor, request)
    reason = _reason(reason)
    with transaction.atomic(durable=True):
        row = CalendarDay.objects.select_for_update().filter(date=day).first()
        if row is None:
            raise ValidationError(_("That day is not in the calendar."), code="not_found")
        _touch_year(day.year)
        details = {"date": day.isoformat(), "kind": row.kind, "name": row.name}
        audit.record(
            CalendarEvents.DAY_REMOVE,
            actor=actor,
            request=request,
            obj=row,
            details={**details, "source": row.source, "reason": reason},
        )
        row.delete()
    confcache.invalidate()


def set_year_complete(
    actor: ConfigActor,
    year: int,
    complete: bool,
    reason: str,
    *,
    request: HttpRequest | None = None,
) -> CalendarYear:
    """Mark a year's holiday schedule as entered in full (removes the deadline warning)."""
    _require(actor, request)
    reason = _reason(reason)
    if not 2000 <= year <= 2100:
        raise ValidationError(_("Enter a year between 2000 and 2100."), code="invalid")
    with transaction.atomic(durable=True):
        row = _touch_year(year)
        before = row.complete
        row.complete = complete
        row.source = CalendarSource.ADMIN
        row.updated_at = timezone.now()
        row.save()
        audit.record(
            CalendarEvents.YEAR_SET,
            actor=actor,
            request=request,
            obj=row,
            details={"year": year, "from": before, "to": complete, "reason": reason},
        )
    confcache.invalidate()
    return row
