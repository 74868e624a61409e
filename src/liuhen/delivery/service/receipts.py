"""Where the service receipt 送达回证 of a document stands, and the next step, for the
service form (R10.1): choose the signed receipt, have the issued one signed, issue the
draft, or draft one for this document. The recipient signs the receipt on the signing
screen, or their refusal is recorded there with AV (R9.2)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from liuhen.delivery.service import modes
from liuhen.documents.models import IssuedDocument


@dataclass(frozen=True)
class NextStep:
    state: str  # signed, unsigned, draft, none
    message: str
    link: str = ""  # where to do it; "" when the step is a button of the form
    link_text: str = ""


def next_step(issued: IssuedDocument) -> NextStep:
    if modes.signed_receipts(issued).exists():
        return NextStep(
            "signed", _("Choose the signed service receipt (送达回证) of this document below.")
        )
    unsigned = modes.receipts_of(issued).first()
    if unsigned is not None:
        return NextStep(
            "unsigned",
            _(
                "The service receipt %(number)s is issued but not signed yet: the recipient "
                "signs it on the signing screen (or the refusal is recorded there with AV), "
                "then choose it here."
            )
            % {"number": unsigned.number or unsigned.title},
            reverse("documents:sign", args=[unsigned.pk]),
            _("Open the signing screen"),
        )
    draft = modes.receipt_drafts_of(issued).first()
    if draft is not None:
        return NextStep(
            "draft",
            _(
                "A service receipt for this document is being drafted: check and issue it, "
                "have the recipient sign it, then choose it here."
            ),
            reverse("documents:draft", args=[draft.pk]),
            _("Open the draft receipt"),
        )
    return NextStep(
        "none",
        _(
            "This document has no service receipt yet: draft one for it (its title, number "
            "and party are filled in), issue it and have the recipient sign it, then choose "
            "it here — or upload a scan of a signed paper receipt."
        ),
    )
