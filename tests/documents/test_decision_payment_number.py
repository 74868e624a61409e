"""R11.1: the penalty decision prints the number of its payment notice 缴款通知书 in the
field 缴款通知书编号 (not "/"), beside the payment QR code, on the issued and on the signed
PDF; the notice is made for the decision when the decision is issued first."""

from __future__ import annotations

import re

import pytest

from liuhen.delivery.models import PaymentNotice
from liuhen.documents.catalog import catalog
from liuhen.documents.issuing import rendering
from liuhen.documents.printing.pdf import render_pdf
from tests.fixtures.documents import current_pdf, issue_form, pdf_text

pytestmark = pytest.mark.django_db

DECISION_VALUES = {"statement": "当事人未提出陈述、申辩意见。"}


def _number_row(text: str) -> str:
    """What the PDF prints after the label 缴款通知书编号 (up to the next label)."""
    flat = re.sub(r"\s+", "", text)
    match = re.search(r"缴款通知书编号[:：]?(.*?)救济途径", flat)
    assert match is not None, flat
    return match.group(1)


def test_the_decision_prints_the_payment_notice_number_in_its_field(
    officer_wang, decided_case, installed_seal
) -> None:
    assert not PaymentNotice.objects.filter(decision__case=decided_case).exists()
    issued = issue_form(officer_wang, decided_case, "penalty_decision", **DECISION_VALUES)
    # Issued before any payment notice existed: the notice is made for the decision.
    notice = PaymentNotice.objects.get(decision__case=decided_case)
    assert notice.amount_fen == 5000_00
    assert _number_row(pdf_text(current_pdf(issued))) == notice.number
    assert issued.data["payment_notice_number"] == notice.number


def test_a_reprint_of_the_issued_decision_keeps_the_number(
    officer_wang, decided_case, installed_seal
) -> None:
    """The print context of an issued decision (its signed version, a reprint) prints the
    number in the field too."""
    issued = issue_form(officer_wang, decided_case, "penalty_decision", **DECISION_VALUES)
    number = PaymentNotice.objects.get(decision__case=decided_case).number
    ctx = rendering.print_context(issued, catalog.spec_of_issued(issued))
    assert _number_row(pdf_text(render_pdf(ctx).pdf)) == number
