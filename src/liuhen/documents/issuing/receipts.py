"""A service receipt 送达回证 and the document it serves (R10.1): which document a receipt
may serve, and what the receipt says of it before anyone types a word."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from liuhen.cases.models import Case
from liuhen.documents.models import IssuedDocument
from liuhen.documents.spec import FormSpec, ReceiptRole


def require_servable(case: Case, spec: FormSpec, served: IssuedDocument) -> None:
    """Only a 送达回证 serves a document, and only a document of its case that is served on
    the party."""
    if spec.receipt_role != ReceiptRole.SERVICE_RECEIPT:
        raise ValidationError(_("Only a service receipt (送达回证) names a document it serves."))
    if served.case_id != case.pk or not served.served:
        raise ValidationError(
            _("A service receipt serves a document of its own case that is served on the party.")
        )


def receipt_values(served: IssuedDocument) -> dict[str, str]:
    """The receipt's fields taken from the document it serves: its title and 文号, the
    party it names and the party's address."""
    data = served.data or {}
    values = {"documents": f"{served.title}|{served.number}".rstrip("|")}
    for field, source in (("party_name", "party_name"), ("place", "party_address")):
        if data.get(source):
            values[field] = str(data[source])
    return values
