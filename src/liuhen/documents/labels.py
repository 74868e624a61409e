"""How documents read in the audit trail of a case (R1.1): an issued document by its title
and 文号, a draft by its title marked as a draft."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from liuhen.documents.models import Document, IssuedDocument


def _ints(ids: Iterable[str]) -> list[int]:
    return [int(i) for i in ids if str(i).isdigit()]


def issued_labels(ids: list[str]) -> dict[str, str]:
    rows = IssuedDocument.objects.filter(pk__in=_ints(ids)).values_list("pk", "title", "number")
    return {str(pk): f"{title} {number}".strip() for pk, title, number in rows}


def draft_labels(ids: list[str]) -> dict[str, str]:
    rows = Document.objects.filter(pk__in=_ints(ids)).values_list("pk", "title")
    return {str(pk): _("%(title)s (draft)") % {"title": title} for pk, title in rows}


LABELS = {"documents.issueddocument": issued_labels, "documents.document": draft_labels}
