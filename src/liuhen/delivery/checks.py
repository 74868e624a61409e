"""Checks of service 送达 (``cases.compliance``): R10.1 the mode's record, R10.2 service on
time, R8.1 the advance notice served before the decision. Registered by
``DeliveryConfig.ready()``. The actions refuse an invalid record; these find the ones
that came in another way (imports, older data) and the decisions served late.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liuhen.cases.compliance import Finding, check, finding
from liuhen.cases.models import ClosingCondition, Procedure, Stage
from liuhen.delivery.models import ServiceRecord
from liuhen.delivery.service import clock, modes
from liuhen.documents.catalog import catalog
from liuhen.documents.checks import current_documents
from liuhen.documents.models import IssuedDocument

if TYPE_CHECKING:
    from liuhen.cases.models import Case


def _document(issued: IssuedDocument) -> str:
    return f"{issued.title} {issued.number}".strip()


@check("service_mode_invalid", article="R10.1", blocking=True)
def _service_mode_invalid(case: Case) -> Iterator[Finding]:
    """R10.1: a service record that its mode does not allow for its document — an
    enforcement decision served electronically (regulation Art. 10(四)), electronic service
    without the party's consent (行政处罚法 Art. 61(2)), leaving without a witness or
    photos, a mode's proof missing."""
    records = (
        ServiceRecord.objects.filter(case=case)
        .select_related("issued", "receipt", "consent")
        .prefetch_related("attachments__av_record")
        .order_by("served_at", "id")
    )
    for record in records:
        errors = modes.mode_errors(modes.ServiceInput.of_record(record))
        if not errors:
            continue
        reasons = " ".join(str(m) for messages in errors.values() for m in messages)
        message = _("%(mode)s of %(document)s on %(day)s is not valid: %(reasons)s") % {
            "mode": record.get_mode_display(),
            "document": _document(record.issued),
            "day": timezone.localdate(record.served_at).isoformat(),
            "reasons": reasons,
        }
        yield finding("service_mode_invalid", message, record, Stage.SERVICE)


@check("service_overdue", article="R10.2", blocking=False)
def _service_overdue(case: Case) -> Iterator[Finding]:
    """R10.2 (行政处罚法 Art. 61): a decision not served within the rule ``service``
    working days of its issue, or served after them."""
    decisions = IssuedDocument.objects.filter(case=case, form_code__in=clock.clocked_forms())
    late = clock.overdue_ids(decisions)
    for issued in decisions.filter(pk__in=late).order_by("issued_at", "id"):
        deadline = clock.service_deadline(issued)
        assert deadline is not None
        first = clock.first_service_at(issued)
        values = {"document": _document(issued), "due": deadline.due.isoformat()}
        if first is None:
            message = _("%(document)s was due to be served by %(due)s and is not served.")
        else:
            values["day"] = timezone.localdate(first).isoformat()
            message = _("%(document)s was due to be served by %(due)s and was served on %(day)s.")
        yield finding("service_overdue", message % values, issued, Stage.SERVICE)


@check("advance_notice_not_served", article="R8.1", blocking=True)
def _advance_notice_not_served(case: Case) -> Iterator[Finding]:
    """R8.1 (行政处罚法 Art. 44): the advance notice 行政处罚事先告知书 is served before the
    penalty decision is issued (the simple procedure's oral notice excepted)."""
    if case.procedure == Procedure.SIMPLE:
        return
    if case.closing_condition in (ClosingCondition.NO_PENALTY, ClosingCondition.REVOKED):
        return  # Art. 44 precedes a penalty; none is imposed
    decisions = [d for d in current_documents(case) if catalog.rules_of(d).after_advance_notice]
    if not decisions:
        return
    served = ServiceRecord.objects.filter(
        case=case,
        issued__form_code__in=catalog.codes_where(lambda spec: spec.advance_notice),
        served_on__isnull=False,
    ).values_list("served_on", flat=True)
    first_served = min((day for day in served if day is not None), default=None)
    for decision in decisions:
        issued_on = timezone.localdate(decision.issued_at)
        if first_served is not None and first_served <= issued_on:
            continue
        message = _(
            "%(title)s %(number)s was issued on %(day)s, but no advance notice "
            "(行政处罚事先告知书) of the case had been served by then."
        ) % {"title": decision.title, "number": decision.number, "day": issued_on.isoformat()}
        # Mended by a new version of the decision issued after service (a remake).
        yield finding("advance_notice_not_served", message, decision, Stage.DECISION)


CHECKS = (_service_mode_invalid, _service_overdue, _advance_notice_not_served)
