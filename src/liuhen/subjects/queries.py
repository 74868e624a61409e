"""Reading subjects: search by name or identifier, over an access-filtered queryset."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from liuhen.subjects import crypto
from liuhen.subjects.identifiers import normalize_uscc, validate_resident_id
from liuhen.subjects.models import Subject, SubjectKind


def search(subjects: QuerySet[Subject], text: str) -> QuerySet[Subject]:
    """Name (part), USCC (exact or prefix), plate or project code (part), resident id (exact).

    A resident id is found only by the whole number, through its blind index: the
    database holds nothing a partial number could match (R18.5).
    """
    text = text.strip()
    if not text:
        return subjects
    folded = normalize_uscc(text)  # the same folding every identifier uses
    condition = Q(name__icontains=text)
    if folded:
        condition |= Q(uscc__startswith=folded) if len(folded) >= 4 else Q(uscc=folded)
        condition |= Q(plate__icontains=folded) | Q(project_code__icontains=folded)
    if validate_resident_id(folded):
        condition |= Q(resident_id_index=crypto.blind_index(folded))
    return subjects.filter(condition)


def of_kind(subjects: QuerySet[Subject], kind: str) -> QuerySet[Subject]:
    """Only subjects of ``kind``; an empty kind means all, an unknown one is an error."""
    if not kind:
        return subjects
    if kind not in SubjectKind.values:
        raise ValidationError({"kind": [_("Choose the kind of subject.")]})
    return subjects.filter(kind=kind)
