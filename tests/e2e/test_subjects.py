"""An officer enters a person on a tablet; the ID number shows masked until it is theirs."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from liuhen.subjects.identifiers import mask_resident_id
from liuhen.subjects.models import Subject
from tests.e2e.helpers import login
from tests.factories import CaseFactory, resident_id

pytestmark = pytest.mark.django_db(transaction=True)


def test_officer_enters_a_person_on_a_tablet(tablet_page: Page, officer_wang, unit_a) -> None:
    case = CaseFactory(unit=unit_a, officers=[officer_wang])
    number = resident_id(88, born="19860704")
    page = login(tablet_page, "officer_wang", next_url="/subjects/")
    page.click("[data-testid=subject-new]")
    page.select_option("[data-testid=kind-select]", "person")
    # htmx swaps in the person's fields: the ID number, no credit code.
    expect(page.locator("input[name=resident_id]")).to_be_visible()
    expect(page.locator("input[name=uscc]")).to_have_count(0)
    page.fill("input[name=name]", "孙大壮")
    page.fill("input[name=resident_id]", number.lower())
    page.fill("input[name=address]", "大洼区田家街道")
    page.click("[data-testid=subject-save]")

    expect(page.locator("[data-testid=subject-name]")).to_have_text("孙大壮")
    expect(page.locator("[data-testid=resident-id]")).to_have_text(mask_resident_id(number))
    expect(page.locator("[data-testid=reveal-id]")).to_have_count(0)
    assert Subject.objects.get().resident_id() == number

    # Once the person is a party to the officer's case, the full number may be shown.
    page.select_option("[data-testid=link-case] select[name=case]", str(case.pk))
    page.click("[data-testid=link-case] button")
    expect(page.locator("[data-testid=section-cases]")).to_contain_text(case.number)
    page.click("[data-testid=reveal-id]")
    expect(page.locator("[data-testid=resident-id]")).to_have_text(number)
