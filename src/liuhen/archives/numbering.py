"""The archive number 档号 (DA/T 22): its pattern, the 全宗号, and the retention class a
case's file is suggested (R18.1).

Numbers are taken from their gapless series per year by
``archives.actions.case_file._allocate_archive_number``.
"""

from __future__ import annotations

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from liuhen.archives.models import (
    DEFAULT_ARCHIVE_PATTERN,
    DEFAULT_FONDS,
    RETENTION_CODES,
    ArchiveNumbering,
    Retention,
)
from liuhen.cases.models import Case, Procedure
from liuhen.core import rules

PLACEHOLDERS = frozenset({"fonds", "year", "retention", "serial"})
# Without year and serial two files would get the same number.
REQUIRED_PLACEHOLDERS = frozenset({"year", "serial"})
SERIAL_DIGITS = 4


def current() -> tuple[str, str]:
    """(全宗号, pattern) as configured."""
    row = ArchiveNumbering.objects.filter(pk=ArchiveNumbering.SINGLETON_ID).first()
    if row is None:
        return DEFAULT_FONDS, DEFAULT_ARCHIVE_PATTERN
    return row.fonds, row.pattern


def validate_pattern(pattern: str) -> str:
    pattern = pattern.strip()
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise ValidationError(_("The pattern has unbalanced braces."), code="invalid") from exc
    names = {name for _text, name, _spec, _conv in parsed if name}
    if names - PLACEHOLDERS:
        raise ValidationError(
            _("Unknown placeholder(s): %(names)s.")
            % {"names": ", ".join(sorted(names - PLACEHOLDERS))},
            code="invalid",
        )
    missing = REQUIRED_PLACEHOLDERS - names
    if missing:
        raise ValidationError(
            _("The pattern must contain %(names)s.")
            % {"names": ", ".join(f"{{{name}}}" for name in sorted(missing))},
            code="invalid",
        )
    if any(spec or conv for _text, _name, spec, conv in parsed):
        raise ValidationError(_("Format specifications are not allowed."), code="invalid")
    return pattern


def format_number(pattern: str, *, fonds: str, year: int, retention: str, serial: int) -> str:
    return pattern.format(
        fonds=fonds,
        year=year,
        retention=RETENTION_CODES[Retention(retention)],
        serial=f"{serial:0{SERIAL_DIGITS}d}",
    )


def suggested_retention(case: Case) -> str:
    """The retention class the rules give ``case`` (the archivist confirms it)."""
    if case.procedure == Procedure.SIMPLE:
        return str(rules.value("retention_simple"))
    return str(rules.value("retention_ordinary"))


def retention_rule_key(case: Case) -> str:
    return "retention_simple" if case.procedure == Procedure.SIMPLE else "retention_ordinary"
