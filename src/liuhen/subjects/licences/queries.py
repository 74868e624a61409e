"""Reading a subject's licences (R18.3): a licence is read with its subject, so the caller
has fetched the subject through the access idiom first."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from liuhen.subjects.models import Licence


def licences_of(subject: Any) -> QuerySet[Licence]:
    """The subject's licences with their provenance, in the order of the licence types."""
    return Licence.objects.filter(subject=subject).select_related(
        "licence_type", "exchange_record", "exchange_record__blob"
    )


def licences_of_parties(case: Any) -> QuerySet[Licence]:
    """The licences of the parties of ``case`` (what a proposal to suspend or revoke a
    licence may name)."""
    return Licence.objects.filter(
        subject__case_links__case=case, subject__case_links__role="party"
    ).select_related("licence_type", "subject")
