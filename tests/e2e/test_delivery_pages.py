"""Browser: the party's consent to electronic service is recorded and leads back to the
service form (R10.2); the delivery register 送达台账 lists the service records and filters
them by mode (R10.1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from liuhen.delivery.models import ServiceConsent
from tests.delivery.service_helpers import PARTY, issued_row, serve
from tests.e2e.helpers import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def issued_notice(officer_wang, numbered_case_a):
    return issued_row(officer_wang, numbered_case_a, "advance_notice", number="告〔2026〕5号")


def test_the_consent_form_records_consent_and_returns_to_service(
    tablet_page: Page, officer_wang, issued_notice
) -> None:
    page = login(
        tablet_page,
        "officer_wang",
        next_url=f"/delivery/consent/{issued_notice.case_id}/?issued={issued_notice.pk}",
    )
    form = page.get_by_test_id("consent-form")
    form.locator("[name=party_name]").fill(PARTY)
    form.locator("input[name=channels][value=fax]").check()
    form.locator("[name=fax_number]").fill("0427-6888888")
    form.locator("[name=consented_on]").fill(timezone.localdate().isoformat())
    page.get_by_test_id("consent-save").click()
    page.wait_for_url(f"**/delivery/serve/{issued_notice.pk}/")
    expect(page.get_by_test_id("service-form")).to_be_visible()
    assert ServiceConsent.objects.get().channels == ["fax"]


def test_the_register_lists_and_filters_service(page: Page, officer_wang, numbered_case_a) -> None:
    posted = issued_row(officer_wang, numbered_case_a, number="罚〔2026〕8号")
    handed = issued_row(officer_wang, numbered_case_a, number="罚〔2026〕9号")
    by_post = serve(officer_wang, posted, "post", served_at=timezone.now() - dt.timedelta(hours=2))
    by_hand = serve(officer_wang, handed, "direct")
    login(page, "officer_wang", next_url="/delivery/")
    register = page.get_by_test_id("delivery-register")
    expect(register.locator(f"[data-service='{by_post.pk}']")).to_be_visible()
    expect(register.locator(f"[data-service='{by_hand.pk}']")).to_be_visible()
    page.get_by_test_id("register-filter").locator("select[name=mode]").select_option("post")
    page.get_by_test_id("register-filter-submit").click()
    expect(register.locator(f"[data-service='{by_post.pk}']")).to_be_visible()
    expect(register.locator(f"[data-service='{by_hand.pk}']")).to_have_count(0)
    expect(page.get_by_test_id("record-count")).to_contain_text("1")
