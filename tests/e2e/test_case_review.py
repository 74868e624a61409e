"""R22.2 in the browser: the supervisor plans a review and assigns a closed case of unit B
to the legal reviewer; the reviewer scores it on an upright tablet — a deduction with its
note, a refusal for a deduction without one — and the results show the file excellent
(axe-checked on every page reached)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from liuhen.supervision.models import CaseReview, ReviewGrade
from tests.e2e.helpers import login
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_case_file_is_scored_with_the_checklist(
    page: Page, portrait_tablet: Page, supervisor_zheng, reviewer_sun, officer_li, unit_b
) -> None:
    case = CaseFactory(
        unit=unit_b,
        officers=[officer_li],
        closed_at=timezone.now(),
        number="洼农（兽药）立〔2026〕8号",
    )
    login(page, "supervisor_zheng", next_url="/supervision/reviews/")
    page.fill("input[name=title]", "2026年第四季度案卷评查")
    page.fill("input[name=period]", "2026年第四季度")
    page.click("[data-testid=plan-save]")
    page.select_option("select[name=case]", str(case.pk))
    page.select_option("select[name=reviewer]", str(reviewer_sun.pk))
    page.click("[data-testid=assign-save]")
    expect(page.locator("[data-testid=assignment-row]")).to_contain_text("孙丽")

    tablet = login(portrait_tablet, "reviewer_sun", next_url="/supervision/reviews/")
    tablet.locator("[data-testid=assignment-link]").tap()
    tablet.fill("input[name=deduct_filing_timely]", "2")
    tablet.locator("[data-testid=score-save]").tap()
    expect(tablet.locator("[data-testid=error-filing_timely]")).to_be_visible()
    tablet.fill("input[name=note_filing_timely]", "超过规定期限两日立案")
    tablet.fill("input[name=deduct_forms_filled]", "1.5")
    tablet.fill("input[name=note_forms_filled]", "询问笔录有涂改")
    tablet.locator("[data-testid=score-save]").tap()
    expect(tablet.locator("[data-testid=review-total]")).to_have_text("96.5")
    expect(tablet.locator("[data-testid=review-grade]")).to_have_text("优秀")

    page.goto("/supervision/reviews/")
    expect(page.locator("[data-testid=excellent-files-row]")).to_contain_text(case.number)
    expect(page.locator("[data-testid=results-unit-row]")).to_contain_text("畜牧兽医执法科")
    review = CaseReview.objects.get()
    assert review.grade == ReviewGrade.EXCELLENT
