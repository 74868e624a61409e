"""Checks of service 送达 (R10.1, R10.2) (``cases.compliance``), registered by
``DeliveryConfig.ready()``. The actions refuse an invalid record; these find the
ones that came in another way (imports, older data) and the decisions served late.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liuhen.cases.compliance import Finding, check, finding
from liuhen.cases.models import Stage
from liuhen.delivery import actions, modes
from liuhen.delivery.models import ServiceRecord
from liuhen.documents.models import IssuedDocument

if TYPE_CHECKING:
    from liuhen.cases.models import Case


def _document(issued: IssuedDocument) -> str:
    return f"{issued.title} {issued.number}".strip()


@check("service_mode_invalid", article="R10.1", blocking=True)
def _service_mode_invalid(case: Case) -> Iterator[Finding]:
    """R10.1: a service record that its mode does not allow for its document — e-mail for a
    decision, fax or e-mail without the party's consent, leaving without a witness or
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
    decisions = IssuedDocument.objects.filter(
        case=case, form_code__in=actions.SERVICE_DEADLINE_FORMS
    )
    late = actions.overdue_ids(decisions)
    for issued in decisions.filter(pk__in=late).order_by("issued_at", "id"):
        deadline = actions.service_deadline(issued)
        assert deadline is not None
        first = actions.first_service_at(issued)
        values = {"document": _document(issued), "due": deadline.due.isoformat()}
        if first is None:
            message = _("%(document)s was due to be served by %(due)s and is not served.")
        else:
            values["day"] = timezone.localdate(first).isoformat()
            message = _("%(document)s was due to be served by %(due)s and was served on %(day)s.")
        yield finding("service_overdue", message % values, issued, Stage.SERVICE)


CHECKS = (_service_mode_invalid, _service_overdue)
