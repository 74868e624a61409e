"""Checks on a case's text records (architecture rule 4: compliance is computed).

Registered by ``DocumentsConfig.ready()`` (``cases.compliance``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liuhen.cases.compliance import STAGE_ORDER, Finding, at_or_after, check, finding
from liuhen.cases.models import Stage
from liuhen.documents.catalog import catalog
from liuhen.documents.models import IssuedDocument
from liuhen.documents.spec import Kind

if TYPE_CHECKING:
    from liuhen.cases.models import Case


def _stage_of(form_code: str) -> str:
    """The stage a form belongs to; a record without one (a bureau transcript) is judged
    when the case is decided."""
    try:
        spec = catalog.get(form_code)
    except KeyError:
        return Stage.DECISION
    if spec.stage in STAGE_ORDER:
        return spec.stage
    return Stage.DECISION if spec.kind == Kind.RECORD else Stage.INVESTIGATION


def current_documents(case: Case) -> Iterator[IssuedDocument]:
    """The issued documents still in force: a version replaced by a remake is not."""
    return iter(
        IssuedDocument.objects.filter(case=case, superseded_by__isnull=True).order_by(
            "issued_at", "id"
        )
    )


@check("signature_missing", article="R9.2", blocking=True)
def _signature_missing(case: Case) -> Iterator[Finding]:
    """R9.2: a document the party checks and signs is final only with the signature, or a
    refusal backed by AV, and the officers' signatures on their lines. Such a document
    without its finalisation holds up the stage its form belongs to (or any later stage the
    case has reached)."""
    unsigned = IssuedDocument.objects.filter(
        case=case,
        needs_signature=True,
        finalisation__isnull=True,
        superseded_by__isnull=True,
    ).order_by("issued_at", "id")
    for issued in unsigned:
        if not at_or_after(case, _stage_of(issued.form_code)):
            continue
        message = _(
            "%(title)s %(number)s of %(day)s is not final: it needs the party's signature (or "
            "a refusal recorded with an AV record made at that time) and the signatures of "
            "the officers named on it."
        ) % {
            "title": issued.title,
            "number": issued.number,
            "day": timezone.localdate(issued.issued_at).isoformat(),
        }
        # It holds up the stage the case is in: the form's own, or a later one it reached.
        yield finding("signature_missing", message, issued, case.stage)


CHECKS = (_signature_missing,)
