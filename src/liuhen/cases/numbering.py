"""Document numbers 文号: a configurable pattern and gapless serials per (year, kind, field).

A serial is taken inside the caller's transaction with the series row locked, so a
rolled-back registration gives its serial back and the numbers stay gapless; concurrent
callers queue on the row lock (PostgreSQL ``SELECT … FOR UPDATE``; SQLite takes its
write lock at the start of every transaction, IMMEDIATE mode in settings).
"""

from __future__ import annotations

import string

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.cases.models import DEFAULT_NUMBER_PATTERN, NumberPattern, NumberSeries

# Kind codes used by the documents of a case (documents.md).
KIND_FILING = "立"
KIND_PENALTY = "罚"
KIND_NOTICE = "告"

PLACEHOLDERS = frozenset({"field", "kind", "year", "serial"})
REQUIRED_PLACEHOLDERS = frozenset({"kind", "year", "serial"})
_RETRIES = 5


def current_pattern() -> str:
    row = NumberPattern.objects.filter(pk=NumberPattern.SINGLETON_ID).first()
    return row.pattern if row is not None else DEFAULT_NUMBER_PATTERN


def validate_pattern(pattern: str) -> str:
    """The pattern, stripped, if it can make distinct numbers; else ValidationError."""
    pattern = pattern.strip()
    try:
        names = {name for _text, name, spec, conv in string.Formatter().parse(pattern) if name}
        specs = [spec or conv for _text, name, spec, conv in string.Formatter().parse(pattern)]
    except ValueError as exc:
        raise ValidationError(_("The pattern has unbalanced braces."), code="invalid") from exc
    unknown = names - PLACEHOLDERS
    if unknown:
        raise ValidationError(
            _("Unknown placeholder(s): %(names)s.") % {"names": ", ".join(sorted(unknown))},
            code="invalid",
        )
    missing = REQUIRED_PLACEHOLDERS - names
    if missing:
        # Without year, kind and serial two series would make the same number.
        raise ValidationError(
            _("The pattern must contain %(names)s.")
            % {"names": ", ".join(f"{{{name}}}" for name in sorted(missing))},
            code="invalid",
        )
    if any(specs):
        raise ValidationError(_("Format specifications are not allowed."), code="invalid")
    if len(format_number(pattern, field="种子", kind="罚", year=2026, serial=99999)) > 60:
        raise ValidationError(_("Numbers made by this pattern would be too long."), code="invalid")
    return pattern


def format_number(pattern: str, *, field: str, kind: str, year: int, serial: int) -> str:
    return pattern.format(field=field, kind=kind, year=year, serial=serial)


def _check_part(value: str, max_length: int) -> str:
    value = value.strip()
    if len(value) > max_length or any(ch in value for ch in "{}"):
        raise ValidationError(_("Invalid kind or field for a number."), code="invalid")
    return value


def allocate(kind: str, field: str, year: int | None = None) -> str:
    """Take the next serial of (year, kind, field) and return the formatted number.

    Call it inside the transaction that uses the number: the serial is returned to the
    series if that transaction rolls back.
    """
    kind = _check_part(kind, 10)
    field = _check_part(field, 20)
    if not kind:
        raise ValidationError(_("A number needs a kind."), code="required")
    year = year or timezone.localdate().year
    for attempt in range(_RETRIES):
        try:
            with transaction.atomic():
                # get_or_create re-reads (and locks) the row if another transaction
                # created it first; the retry covers the rare remaining race.
                series, _created = NumberSeries.objects.select_for_update().get_or_create(
                    year=year, kind=kind, field=field
                )
                series.last_serial += 1
                series.save(update_fields=["last_serial"])
                serial = series.last_serial
            break
        except IntegrityError:
            if attempt == _RETRIES - 1:
                raise
    return format_number(current_pattern(), field=field, kind=kind, year=year, serial=serial)


def peek(kind: str, field: str, year: int | None = None) -> str:
    """The number the next :func:`allocate` would give (for display only, not reserved)."""
    year = year or timezone.localdate().year
    series = NumberSeries.objects.filter(year=year, kind=kind, field=field).first()
    serial = (series.last_serial if series is not None else 0) + 1
    return format_number(current_pattern(), field=field, kind=kind, year=year, serial=serial)
