"""Browser: the unit head merges two records of one enterprise (R18.3). The kept record
shows the cases of both and the details it lacked; the other points to it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from liuhen.cases.actions.registration import link_party
from liuhen.core.models import AuditEvent
from liuhen.subjects import actions
from liuhen.subjects.models import Subject
from tests.e2e.helpers import login
from tests.factories import CaseFactory, uscc

pytestmark = pytest.mark.django_db(transaction=True)


def test_unit_head_merges_a_duplicate_subject(page: Page, unit_a, officer_wang, head_zhang) -> None:
    code = uscc(7)
    first = CaseFactory(unit=unit_a, officers=[officer_wang], title="某农资经营部销售假农药案")
    second = CaseFactory(unit=unit_a, officers=[officer_wang], title="某农资经营部无证经营案")
    keep = actions.create_subject(officer_wang, kind="unit", name="某农资经营部", uscc=code)
    # Entered again by hand without the credit code, with the address the first lacks.
    duplicate = actions.create_subject(
        officer_wang, kind="unit", name="某农资经营部", address="大洼区田家街道88号"
    )
    link_party(officer_wang, first, keep)
    link_party(officer_wang, second, duplicate)

    login(page, "head_zhang", next_url="/subjects/")
    expect(page.locator("tbody tr", has_text="某农资经营部")).to_have_count(2)
    page.goto(f"/subjects/{keep.pk}/")
    # The section lists the subject's cases; its "add to case" form offers the others.
    listed = page.get_by_test_id("section-cases").locator("table")
    expect(listed).to_contain_text(first.number)
    expect(listed).not_to_contain_text(second.number)
    page.get_by_test_id("subject-merge").click()

    expect(page.locator("h1")).to_have_text("合并重复记录")
    candidates = page.locator("[data-testid=merge-candidates] a")
    expect(candidates).to_have_count(1)  # same kind and name, the record itself excluded
    expect(candidates.first).to_contain_text("大洼区田家街道88号")
    candidates.first.click()

    expect(page.locator("h1")).to_have_text("确认合并")
    expect(page.locator(".card", has_text="保留的记录")).to_contain_text(code)
    expect(page.locator(".card", has_text="并入的记录")).to_contain_text("大洼区田家街道88号")
    page.get_by_test_id("merge-confirm").click()

    expect(page.get_by_role("alert")).to_have_text("两条记录已合并。")
    expect(page.get_by_test_id("subject-name")).to_have_text("某农资经营部")
    cases = page.get_by_test_id("section-cases")
    expect(cases).to_contain_text(first.number)
    expect(cases).to_contain_text(second.number)
    expect(page.locator("dd", has_text="大洼区田家街道88号")).to_be_visible()
    assert Subject.objects.get(pk=duplicate.pk).merged_into_id == keep.pk
    event = AuditEvent.objects.get(action="subject.merge")
    assert event.details["merged"] == duplicate.pk and "address" in event.details["filled"]

    # The merged record is kept as a pointer; it can be neither changed nor merged again.
    page.goto(f"/subjects/{duplicate.pk}/")
    pointer = page.get_by_test_id("merged-into")
    expect(pointer).to_contain_text("本记录已合并到：")
    expect(page.get_by_test_id("subject-merge")).to_have_count(0)
    pointer.get_by_role("link", name="某农资经营部").click()
    expect(page.get_by_test_id("subject-merge")).to_be_visible()
    page.goto("/subjects/")
    expect(page.locator("tbody tr", has_text="某农资经营部")).to_have_count(1)
