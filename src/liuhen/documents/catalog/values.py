"""The values of a form, checked against its fields (R6.1: complete, typed)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from liuhen.documents.spec import FieldSpec, FieldType, FormSpec

MAX_TEXT = 100_000


def _clean_one(field: FieldSpec, raw: Any) -> str:
    value = "" if raw is None else str(raw).replace("\r\n", "\n").strip()
    if not value:
        return ""
    if len(value) > MAX_TEXT:
        raise ValidationError(_("The text is too long."))
    if field.type == FieldType.TEXT and "\n" in value:
        return " ".join(value.split())
    if field.type == FieldType.INTEGER:
        if not _INTEGER.fullmatch(value):
            raise ValidationError(_("Enter a whole number."))
    elif field.type == FieldType.MONEY:
        plain = value.replace(",", "").replace("，", "")
        if not _MONEY.fullmatch(plain):
            raise ValidationError(_("Enter an amount in yuan, e.g. 5000.00."))
        return f"{Decimal(plain):.2f}"
    elif field.type == FieldType.DATETIME and not _parses(value, _DATETIME_FORMATS):
        raise ValidationError(_("Enter a date and time, e.g. 2026-11-28 10:30."))
    elif field.type == FieldType.CHOICE and field.choices and value not in field.choices:
        raise ValidationError(_("Choose one of the listed values."))
    elif field.type == FieldType.DATE and not _parses(value, _DATE_FORMATS):
        raise ValidationError(_("Enter a date, e.g. 2026年11月28日 or 2026-11-28."))
    return value


_INTEGER = re.compile(r"-?[0-9]{1,15}")
_MONEY = re.compile(r"[0-9]{1,13}(\.[0-9]{1,2})?")
_DATETIME_FORMATS = (
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y年%m月%d日 %H时%M分",
    "%Y年%m月%d日%H时%M分",
)


_DATE_FORMATS = ("%Y-%m-%d", "%Y年%m月%d日")


def _parses(value: str, formats: tuple[str, ...]) -> bool:
    for fmt in formats:
        try:
            dt.datetime.strptime(value, fmt)
        except ValueError:
            continue
        return True
    return False


def as_date(value: str) -> dt.date | None:
    """A date field's value as a date (None when empty or not a date)."""
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def clean(spec: FormSpec, data: Mapping[str, Any], *, require: bool) -> dict[str, str]:
    """The form's values as strings; unknown keys dropped. ``require``: every required
    field must be filled (at issue and before approval)."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {}
    for field in spec.fields:
        try:
            value = _clean_one(field, data.get(field.name))
        except ValidationError as exc:
            errors[field.name] = list(exc.messages)
            continue
        if require and field.required and not value:
            errors[field.name] = [_("%(label)s is required on this form.") % {"label": field.label}]
        cleaned[field.name] = value
    if errors:
        raise ValidationError(errors)
    return cleaned
