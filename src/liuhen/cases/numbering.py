"""Document numbers 文号: the configurable pattern, its placeholders and the kinds of number.

Numbers are made here and taken from their gapless series (one per year, kind and field)
by ``cases.actions.numbering.allocate``.
"""

from __future__ import annotations

import string

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.cases import enforcement_fields
from liuhen.cases.models import DEFAULT_NUMBER_PATTERN, NumberPattern, NumberSeries

# Kind codes used by the documents of a case (documents.md).
KIND_FILING = "立"
KIND_PENALTY = "罚"
KIND_NOTICE = "告"

PLACEHOLDERS = frozenset({"field", "kind", "year", "serial"})
REQUIRED_PLACEHOLDERS = frozenset({"kind", "year", "serial"})


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
    longest = max(enforcement_fields.abbreviations(), key=len, default="种子")
    if len(format_number(pattern, field=longest, kind="罚", year=2026, serial=99999)) > 60:
        raise ValidationError(_("Numbers made by this pattern would be too long."), code="invalid")
    return pattern


def format_number(pattern: str, *, field: str, kind: str, year: int, serial: int) -> str:
    return pattern.format(field=field, kind=kind, year=year, serial=serial)


def check_part(value: str, max_length: int) -> str:
    """``value`` (a kind or a field) stripped, if it fits into a number; else ValidationError."""
    value = value.strip()
    if len(value) > max_length or any(ch in value for ch in "{}"):
        raise ValidationError(_("Invalid kind or field for a number."), code="invalid")
    return value


def peek(kind: str, field: str, year: int | None = None) -> str:
    """The number the next ``allocate`` would give (for display only, not reserved)."""
    year = year or timezone.localdate().year
    field = enforcement_fields.number_part(field)
    series = NumberSeries.objects.filter(year=year, kind=kind, field=field).first()
    serial = (series.last_serial if series is not None else 0) + 1
    return format_number(current_pattern(), field=field, kind=kind, year=year, serial=serial)
