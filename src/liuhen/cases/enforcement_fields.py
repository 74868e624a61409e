"""The fields of enforcement 执法领域 a case may be in: the bureau's configured list.

A case's field is chosen from the active :class:`EnforcementField` rows, however the case
comes in (a page form, the API, a filing proposal, an on-the-spot decision); the case keeps
the field's name and its numbers carry the field's abbreviation.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from liuhen.cases.models import EnforcementField


def active() -> QuerySet[EnforcementField]:
    return EnforcementField.objects.filter(active=True)


def choices() -> list[tuple[str, str]]:
    """(name, name) of the active fields, in their configured order (for a select)."""
    return [(name, name) for name in active().values_list("name", flat=True)]


def abbreviations() -> list[str]:
    return list(EnforcementField.objects.values_list("abbreviation", flat=True))


def resolve(value: str) -> str:
    """The configured field ``value`` names (by name or abbreviation): its name; else
    ValidationError listing the fields the bureau works in."""
    value = value.strip()
    if not value:
        raise ValidationError(
            _("Name the field of enforcement (e.g. 农药) for the case number."), code="required"
        )
    found = active().filter(Q(name=value) | Q(abbreviation=value)).first()
    if found is None:
        raise ValidationError(
            _("Unknown field of enforcement. Choose one of: %(names)s.")
            % {"names": "、".join(name for name, _label in choices())},
            code="invalid_field",
        )
    return found.name


def number_part(name: str) -> str:
    """What a number shows for the field ``name``: its abbreviation; a name no longer in
    the list (an imported case) as it is."""
    found = EnforcementField.objects.filter(name=name).values_list("abbreviation", flat=True)
    return next(iter(found), name)
