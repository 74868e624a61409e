"""Browser (R18.4; 档案法实施条例 Art. 20): the archivist finds a file whose retention has
ended from 归档, writes the appraisal and asks; the agency head finds the request in 我的待办
and approves it; the request's page is then the 销毁清册. The archivist records the
hand-over of a permanent file archived more than ten years ago; its 移交清册 lists it."""

from __future__ import annotations

import os

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from liuhen.archives.models import CaseFileDestruction, Retention, TransferItem
from tests.archives.test_case_file_disposal import _archived
from tests.e2e.helpers import login
from tests.factories import CaseFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_destruction_and_transfer_in_the_browser(
    live_server, tablet_page: Page, unit_a, archivist_wu, agency_head_liu
) -> None:
    ended = _archived(CaseFactory(unit=unit_a), archivist_wu, Retention.YEARS_10, 2000)
    old = _archived(CaseFactory(unit=unit_a), archivist_wu, Retention.PERMANENT, 2001)
    page = tablet_page

    login(page, "archivist_wu", next_url="/archives/")
    page.get_by_test_id("destruction-link").click()
    expect(page.locator("h1")).to_have_text("保管期满的案卷")
    page.get_by_test_id(f"candidate-{ended.pk}").check()
    page.get_by_label("鉴定意见（可以销毁的理由）").fill("保管期限已满，经鉴定已无保存价值。")
    page.get_by_test_id("destruction-ask").click()
    expect(page.get_by_test_id("destruction-status")).to_have_text("待审批")

    page.goto("/archives/")
    page.get_by_test_id("transfers-link").click()
    expect(page.get_by_test_id(f"due-{old.pk}")).to_be_visible()
    expect(page.get_by_test_id(f"due-{ended.pk}")).to_have_count(0)
    page.get_by_test_id(f"due-{old.pk}").check()
    page.get_by_label("接收档案馆").fill("盘锦市大洼区档案馆")
    page.get_by_label("移交日期").fill(timezone.localdate().isoformat())
    page.get_by_test_id("transfer-record").click()
    expect(page.locator("h1")).to_have_text("案卷移交清册")
    expect(page.get_by_test_id("transfer-file")).to_have_count(1)
    expect(page.get_by_test_id("transfer-file")).to_contain_text(old.archive_number)
    assert TransferItem.objects.filter(case_file=old).exists()
    page.context.clear_cookies()

    login(page, "agency_head_liu", next_url="/tasks/")
    page.get_by_role("link", name="审批第").first.click()
    page.get_by_label("意见").fill("同意销毁。")
    page.get_by_test_id("destruction-approve").click()
    expect(page.get_by_test_id("destruction-status")).to_have_text("已批准并执行")
    expect(page.get_by_test_id("destruction-list")).to_have_text("案卷销毁清册")
    expect(page.get_by_test_id("destruction-file")).to_contain_text(ended.archive_number)
    assert CaseFileDestruction.objects.filter(case_file=ended).exists()
