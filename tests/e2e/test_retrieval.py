"""R21.1 in the browser: refused a download, the officer files a 调阅申请 from the refusal
page; the unit head grants it from 我的待办; the officer watches with their name over the
player and downloads a copy named by its download; the minute after the grant expires the
download is refused again."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from liuhen.core.audit import SYSTEM
from liuhen.core.models import AuditEvent
from liuhen.devices.actions import enrol_device
from liuhen.media.actions.ingest import probe_record
from liuhen.retrieval.models import RetrievalRequest
from tests.e2e.helpers import login
from tests.fixtures.media import ingest_bytes
from tests.media import media_factory as make

pytestmark = pytest.mark.django_db(transaction=True)


def _logout(page: Page) -> None:
    page.get_by_test_id("logout").click()
    page.wait_for_load_state()


def test_a_refused_officer_asks_the_head_grants_and_the_grant_runs_out(
    tablet_page: Page, officer_wang, head_zhang, unit_a, time_machine
) -> None:
    recorder = enrol_device(SYSTEM, serial="DSJ0001", kind="recorder", unit=unit_a)
    record = ingest_bytes(officer_wang, make.make_mp4(seconds=3), "现场检查.mp4", device=recorder)
    probe_record(SYSTEM, record.pk)
    download_url = f"/media/{record.pk}/download"

    page = login(tablet_page, "officer_wang", next_url=f"/media/{record.pk}/")
    response = page.goto(download_url)
    assert response is not None and response.status == 403
    page.get_by_test_id("ask-retrieval").click()
    expect(page.locator("h1")).to_have_text("提出调阅申请")
    expect(page.get_by_label("调阅方式")).to_have_value("download")
    page.get_by_label("理由").fill("移送公安机关需提供复制件")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_test_id("status")).to_have_text("待审批")
    filed = RetrievalRequest.objects.get()
    _logout(page)

    login(page, "head_zhang", next_url="/")
    expect(page.get_by_test_id("task-count")).to_have_text("1 项待办")
    page.get_by_test_id("tasks-badge").click()
    task = page.get_by_test_id("task").filter(has_text=filed.number)
    task.get_by_test_id("task-link").click()
    page.get_by_label("意见").fill("同意调阅，限用于移送")
    page.get_by_test_id("grant").click()
    expect(page.get_by_test_id("status")).to_have_text("已批准")
    page.goto("/retrieval/")
    expect(page.get_by_test_id("to-decide")).to_contain_text(filed.number)
    _logout(page)

    login(page, "officer_wang", next_url="/retrieval/")
    expect(page.get_by_test_id("my-requests")).to_contain_text("已批准")
    page.goto(f"/media/{record.pk}/")
    mark = page.get_by_test_id("viewer-mark")
    expect(mark).to_contain_text("王明")
    expect(mark).to_contain_text("种植业执法科")
    player = "document.querySelector('[data-testid=record-player]')"
    page.wait_for_function(f"() => {player}.readyState >= 1")
    with page.expect_download() as downloading:
        page.get_by_test_id("record-download").click()
    name = downloading.value.suggested_filename
    assert name.startswith("现场检查_") and name.endswith(".mp4") and name != "现场检查.mp4"
    logged = AuditEvent.objects.get(action="media.download", outcome="ok")
    assert logged.details["grant"] == filed.number and logged.details["download_id"] in name

    _logout(page)
    granted = RetrievalRequest.objects.get().grant
    time_machine.move_to(granted.expires_at + dt.timedelta(minutes=1))
    login(page, "officer_wang", next_url=f"/media/{record.pk}/")
    response = page.goto(download_url)
    assert response is not None and response.status == 403
    page.goto("/retrieval/")
    expect(page.get_by_test_id("my-requests")).to_contain_text("已过期")
