"""制度第二十三条 in the browser: the supervisor opens a finding and orders its
rectification; the responsible officer reports with evidence on a tablet; the supervisor
verifies, and the finding is closed as rectified."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from liuhen.supervision.actions.findings import raise_finding
from liuhen.supervision.models import ClosedBy, Finding, RectificationOrder
from tests.e2e.helpers import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_finding_order_report_verify(
    page: Page, tablet_page: Page, supervisor_zheng, officer_wang, unit_a
) -> None:
    finding, _new = raise_finding(
        None,
        kind="upload_late",
        article="R15.1",
        summary="执法记录 clip.mp4 超过上传期限才上传。",
        dedupe_key="upload_late:e2e",
        unit=unit_a,
        officer=officer_wang,
    )
    login(page, "supervisor_zheng", next_url="/supervision/findings/")
    page.click(f"a[href='/supervision/findings/{finding.pk}/']")
    expect(page.locator("[data-testid=finding-state]")).to_have_text("未关闭")
    page.click("[data-testid=order-rectification]")
    page.select_option("select[name=unit]", str(unit_a.pk))
    page.select_option("select[name=responsible]", str(officer_wang.pk))
    page.fill("textarea[name=requirement]", "说明逾期原因并按时上传。")
    page.click("[data-testid=submit-order]")
    expect(page.locator("[data-testid=order-state]")).to_have_text("待报告整改情况")
    order = RectificationOrder.objects.get()

    tablet = login(tablet_page, "officer_wang", next_url="/tasks/")
    tablet.locator(f"a[href='/supervision/rectifications/{order.pk}/']").first.tap()
    tablet.fill("textarea[name=text]", "已说明原因，设备已按时归还上传。")
    tablet.set_input_files(
        "input[name=evidence]",
        files=[{"name": "说明.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff jpg"}],
    )
    tablet.locator("[data-testid=submit-report]").tap()
    expect(tablet.locator("[data-testid=order-state]")).to_have_text("待验收")
    expect(tablet.locator("[data-testid=evidence-file]")).to_have_text("说明.jpg")

    page.reload()
    page.select_option("select[name=verdict]", "accepted")
    page.fill("textarea[name=note]", "整改到位。")
    page.click("[data-testid=submit-verify]")
    expect(page.locator("[data-testid=order-state]")).to_have_text("已办结")
    page.click("a[href='/supervision/rectifications/']")
    expect(page.locator("[data-testid=order-row]")).to_have_count(1)
    closure = Finding.objects.get(pk=finding.pk).closure
    assert closure.how == ClosedBy.RECTIFIED
