"""R22.4 in the browser: the supervisor records a complaint about 王明, links the footage
the page suggests, replays it on a tablet beside the complaint and records it as
substantiated; the ledger shows the outcome (axe-checked on every page reached)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from liuhen.supervision.models import Complaint, Finding
from tests.e2e.helpers import login
from tests.fixtures.clock import hours_ago
from tests.media.linking import av

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("blob_root"),
]


def _local(hours: float) -> str:
    return timezone.localtime(hours_ago(hours)).strftime("%Y-%m-%dT%H:%M")


def test_complaint_is_replayed_and_recorded(
    page: Page, portrait_tablet: Page, supervisor_zheng, officer_wang
) -> None:
    record = av(officer_wang, captured_at=hours_ago(2), name="DSJ_wang_0001.mp4")
    av(officer_wang, captured_at=hours_ago(20), name="DSJ_wang_old.mp4")

    login(page, "supervisor_zheng", next_url="/supervision/complaints/")
    page.click("[data-testid=complaint-new]")
    page.select_option("select[name=channel]", "hotline")
    page.fill("input[name=complainant]", "赵某")
    page.fill("input[name=received_at]", _local(0.5))
    page.fill("input[name=occurred_from]", _local(3))
    page.fill("input[name=occurred_to]", _local(1))
    page.fill("input[name=place]", "某农资店")
    page.check(f"input[name=officers][value='{officer_wang.pk}']")
    page.fill("textarea[name=summary]", "执法人员态度粗暴，未出示证件。")
    page.click("[data-testid=complaint-save]")

    suggestions = page.locator("[data-testid=suggestion-row]")
    expect(suggestions).to_have_count(1)
    expect(suggestions.first).to_contain_text("DSJ_wang_0001.mp4")
    expect(suggestions.first.locator("[data-testid=reason-officer]")).to_be_visible()
    suggestions.first.locator("input[name=record]").check()
    page.click("[data-testid=footage-confirm]")
    expect(page.locator("[data-testid=footage-row]")).to_contain_text("DSJ_wang_0001.mp4")
    complaint = Complaint.objects.get()

    tablet = login(
        portrait_tablet, "supervisor_zheng", next_url=f"/supervision/complaints/{complaint.pk}/"
    )
    tablet.locator("[data-testid=complaint-replay]").tap()
    expect(tablet.locator("[data-testid=replay-players]")).to_contain_text("DSJ_wang_0001.mp4")
    expect(tablet.locator("[data-testid=complaint-summary]")).to_contain_text("赵某")
    tablet.locator("label", has_text="部分属实").tap()
    tablet.fill("textarea[name=notes]", "录像显示未出示证件，但无粗暴言行。")
    tablet.locator("[data-testid=replay-save]").tap()
    expect(tablet.locator("[data-testid=replay-outcome]")).to_have_text("部分属实")
    expect(tablet.locator("[data-testid=replay-finding]")).to_be_visible()

    page.goto("/supervision/complaints/")
    expect(page.locator("[data-testid=complaint-outcome]")).to_have_text("部分属实")
    finding = Finding.objects.get()
    assert finding.kind == "complaint_substantiated"
    assert finding.evidence[0]["object_id"] == str(record.pk)
