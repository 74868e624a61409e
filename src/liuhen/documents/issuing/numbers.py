"""The 文号 of an issued document: its form's own, allocated at issue (gapless, R6.1), or
the one the case or its decision already carries (``FormSpec.numbering``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from liuhen.cases.actions import numbering
from liuhen.cases.models import Case
from liuhen.documents.models import IssuedDocument
from liuhen.documents.spec import FormSpec, Numbering


def _number_given_elsewhere(case: Case, spec: FormSpec) -> str:
    """The filing approval carries the case number, a decision the decision's 罚 number:
    both were allocated when the step itself was taken."""
    if spec.numbering == Numbering.CASE:
        return str(case.number)
    if spec.numbering == Numbering.DECISION:
        decision = getattr(case, "decision", None)
        if decision is None:
            raise ValidationError(
                _("Record the penalty decision first: this document carries its number."),
                code="no_decision",
            )
        return str(decision.number)
    return ""


def number_taken(case: Case, spec: FormSpec, supersedes: IssuedDocument | None) -> bool:
    """A form whose 文号 belongs to the case or its decision is issued once per case (a
    remake replaces it); a second document would carry the same number."""
    if spec.numbering == Numbering.OWN:
        return False
    issued = IssuedDocument.objects.filter(case=case, form_code=spec.code)
    if supersedes is not None:
        issued = issued.exclude(pk=supersedes.pk)
    return issued.exclude(superseded_by__isnull=False).exists()


def number_at_issue(case: Case, spec: FormSpec, supersedes: IssuedDocument | None) -> str:
    """The 文号 a document gets when issued. Allocating draws the next number of its kind,
    so the caller holds the transaction that also writes the document: a failed issue rolls
    the number back and the sequence stays gapless."""
    existing = _number_given_elsewhere(case, spec)
    if supersedes is not None and supersedes.number:
        return supersedes.number  # the remade version was never served: same 文号
    if existing:
        return existing
    if spec.number_kind:
        return numbering.allocate(spec.number_kind, case.field)
    return ""
