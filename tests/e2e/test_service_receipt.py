"""R10.1 in the browser on an upright tablet: direct service from the service form. With no
receipt yet the form says so and drafts the 送达回证 for the document being served (its
title, 文号 and party filled in); the officer issues it, the recipient signs it on the
signing screen, the receipt leads back to the service form, which offers exactly that
receipt, and the service is recorded with it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from liuhen.delivery.models import ServiceRecord
from liuhen.documents.models import Finalisation, IssuedDocument
from tests.delivery.service_helpers import issued_row, local_input
from tests.documents.signing_helpers import PARTY, make_party_case
from tests.e2e.helpers import login
from tests.e2e.test_signing import draw

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("shared_font_cache")]


def test_direct_service_drafts_and_takes_the_documents_receipt(
    portrait_tablet: Page, officer_wang, unit_a
) -> None:
    case = make_party_case(unit_a, [officer_wang])
    decision = issued_row(
        officer_wang,
        case,
        number="洼农（农药）罚〔2026〕11号",
        data={"party_name": PARTY, "party_address": "大洼区田家街道1号"},
    )
    page = login(portrait_tablet, "officer_wang", next_url=f"/delivery/serve/{decision.pk}/")
    page.on("dialog", lambda dialog: dialog.accept())  # "Issue this document?"

    # Direct service, no receipt yet: what to do, and the button that does it.
    page.select_option("select[name=mode]", "direct")
    step = page.get_by_test_id("receipt-step-direct")
    expect(step).to_be_visible()
    expect(step).to_contain_text("尚无送达回证")
    page.fill("input[name=recipient]", PARTY)
    page.get_by_test_id("draft-receipt-direct").tap()

    # The draft receipt names the decision and its 文号, the party and the mode.
    page.wait_for_url(re.compile(r"/documents/\d+/$"))
    expect(page.get_by_test_id("document-title")).to_have_text("送达回证")
    expect(page.locator("body")).to_contain_text(decision.number)
    expect(page.locator("#id_mode")).to_have_value("直接送达")
    page.get_by_test_id("do-issue").click()
    page.wait_for_url(re.compile(r"/documents/issued/\d+/$"))
    receipt = IssuedDocument.objects.get(case=case, form_code="service_receipt")
    assert receipt.serves == decision
    expect(page.get_by_test_id("receipt-serves")).to_contain_text(decision.number)

    # Back on the service form before signing: the signing screen is the next step.
    page.goto(f"/delivery/serve/{decision.pk}/")
    page.select_option("select[name=mode]", "direct")
    expect(page.get_by_test_id("receipt-step-direct")).to_have_attribute("data-state", "unsigned")
    page.get_by_test_id("receipt-next-direct").tap()
    page.wait_for_url(f"**/documents/issued/{receipt.pk}/sign/")

    # The recipient signs on the tablet.
    page.get_by_test_id("sign-pad").scroll_into_view_if_needed()
    draw(page, [(0.1, 0.7), (0.2, 0.2), (0.3, 0.75), (0.42, 0.25)])
    page.get_by_test_id("sign-submit").click()
    finalise = page.get_by_test_id("finalise-submit")
    final = page.get_by_test_id("sign-final")
    expect(final.or_(finalise)).to_be_visible()
    if finalise.is_visible():  # the other signature lines (officer, witness) stay empty
        finalise.click()
    expect(final).to_be_visible()
    assert Finalisation.objects.filter(issued=receipt).exists()

    # From the receipt to the service of its document; exactly that receipt is offered.
    page.goto(f"/documents/issued/{receipt.pk}/")
    page.get_by_test_id("serve-with-receipt").tap()
    page.wait_for_url(f"**/delivery/serve/{decision.pk}/")
    page.select_option("select[name=mode]", "direct")
    expect(page.get_by_test_id("receipt-step-direct")).to_have_attribute("data-state", "signed")
    options = page.locator("select[name=direct__receipt] option:not([value=''])")
    expect(options).to_have_count(1)
    page.select_option("select[name=direct__receipt]", str(receipt.pk))
    page.fill("input[name=recipient]", PARTY)
    page.fill("input[name=served_at]", local_input(timezone.now() - dt.timedelta(minutes=10)))
    page.get_by_test_id("service-save").tap()
    page.wait_for_url("**/delivery/service/*/")
    record = ServiceRecord.objects.get(issued=decision)
    assert record.receipt == receipt and record.served_on is not None
