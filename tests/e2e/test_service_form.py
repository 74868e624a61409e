"""R10.1 in the browser: the service form shows the chosen mode's fields only; a decision's
form offers no electronic service and says why (regulation Art. 10(四)); a leaving without a
witness or photos is refused on its witness field (民事诉讼法 Art. 89)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from liuhen.delivery.models import ServiceRecord
from tests.delivery.service_helpers import PARTY, issued_row, local_input

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_form_shows_only_the_chosen_mode_in_the_browser(
    portrait_tablet, officer_wang, numbered_case_a
):
    from tests.e2e.helpers import login

    notice = issued_row(officer_wang, numbered_case_a, "advance_notice")
    page = login(portrait_tablet, "officer_wang", next_url=f"/delivery/serve/{notice.pk}/")
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

    # The penalty decision, an enforcement decision: no electronic mode to choose, and
    # the reason on screen by the article's name (regulation Art. 10(四)).
    decision = issued_row(officer_wang, numbered_case_a, number="洼农（农药）罚〔2026〕9号")
    page.goto(f"/delivery/serve/{decision.pk}/")
    assert page.locator("[data-mode-section]").count() == 5
    assert page.locator("select[name=mode] option[value=electronic]").count() == 0
    note = page.locator("[data-testid=no-electronic]")
    assert note.is_visible() and "依据：制度第十条" in note.inner_text()

    # A leaving without a witness or photos: refused, the leaving fieldset shown again
    # with the message on its witness field (民事诉讼法 Art. 89).
    page.select_option("select[name=mode]", "leaving")
    page.fill("input[name=recipient]", PARTY)
    page.fill("input[name=address]", "大洼区田家街道1号")
    page.fill("input[name=served_at]", local_input(timezone.now() - dt.timedelta(hours=1)))
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
