"""R10.1 in the browser: the service form shows the chosen mode's fields only, and a
leaving without a witness or photos is refused on its witness field (民事诉讼法 Art. 89)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from liuhen.delivery.models import ServiceRecord
from tests.delivery.service_helpers import PARTY, issued_row
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def case_a(unit_a, officer_wang):
    return CaseFactory(unit=unit_a, officers=[officer_wang], number="洼农（农药）立〔2026〕3号")


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def portrait_tablet(browser, live_server):
    """A 10-inch tablet held upright (800 × 1280), touch only."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 800, "height": 1280},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def test_the_form_shows_only_the_chosen_mode_in_the_browser(portrait_tablet, officer_wang, case_a):
    from tests.e2e.helpers import login

    decision = issued_row(officer_wang, case_a, number="洼农（农药）罚〔2026〕9号")
    page = login(portrait_tablet, "officer_wang", next_url=f"/delivery/serve/{decision.pk}/")
    sections = page.locator("[data-mode-section]")
    assert sections.count() == 6
    assert page.locator("[data-mode-section]:visible").count() == 0  # no mode chosen yet

    page.select_option("select[name=mode]", "post")
    assert page.locator("[data-mode-section]:visible").count() == 1
    assert page.locator("[data-testid=mode-post]").is_visible()
    assert page.locator("label[for=id_served_at]").inner_text() == "交寄时间"

    page.select_option("select[name=mode]", "electronic")
    page.select_option("select[name=electronic__channel]", "fax")
    assert page.locator("input[name=electronic__fax_number]").is_visible()
    assert not page.locator("input[name=electronic__email]").is_visible()
    assert page.locator("label[for=id_served_at]").inner_text() == "发送时间"

    # A leaving without a witness or photos: refused, the leaving fieldset shown again
    # with the message on its witness field (民事诉讼法 Art. 89).
    page.select_option("select[name=mode]", "leaving")
    page.fill("input[name=recipient]", PARTY)
    page.fill("input[name=address]", "大洼区田家街道1号")
    page.fill("input[name=served_at]", _local(timezone.now() - dt.timedelta(hours=1)))
    page.fill("textarea[name=leaving__circumstances]", "当事人拒收。")
    page.locator("[data-testid=service-save]").tap()
    error = page.locator("[data-testid='error-leaving__witness']")
    error.wait_for(state="visible")
    assert "见证人" in error.inner_text()
    assert page.locator("[data-mode-section]:visible").count() == 1
    page.fill("input[name=leaving__witness]", "李四")
    page.locator("[data-testid=service-save]").tap()
    page.wait_for_url("**/delivery/service/*/")
    assert ServiceRecord.objects.get().details["witness"] == "李四"
