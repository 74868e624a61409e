"""Uploads in the browser with tus-js-client against the tus endpoint (R15.1, R17.1).

An officer's 200 MB upload survives a network drop and resumes by itself; a page reload
mid-upload continues from the server's offset when the same file is chosen again; third-
party material keeps its provenance; Pause / Resume; refusals are explained. The stored
blob's digests are compared with hashlib's."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Page, Request, Route, expect

from liuhen.core.audit import SYSTEM
from liuhen.devices import actions as device_actions
from liuhen.media.models import AvRecord, AvSource, TusUpload
from liuhen.media.views.uploads import CHUNK_SIZE
from tests.e2e.helpers import login

pytestmark = pytest.mark.django_db(transaction=True)

MB = 1024 * 1024
UPLOADS = "**/api/v1/uploads/**"


def random_file(path: Path, size: int) -> Path:
    with path.open("wb") as out:
        left = size
        while left:
            block = os.urandom(min(left, 8 * MB))
            out.write(block)
            left -= len(block)
    return path


def digests(path: Path) -> tuple[str, str]:
    sha256, sm3 = hashlib.sha256(), hashlib.new("sm3")
    with path.open("rb") as stream:
        while block := stream.read(8 * MB):
            sha256.update(block)
            sm3.update(block)
    return sha256.hexdigest(), sm3.hexdigest()


def zh(message: str) -> str:
    """What the page says, in the page's language."""
    with translation.override("zh-hans"):
        return gettext(message)


def record_of(item: Any) -> AvRecord:
    href = item.locator("[data-testid=upload-record-link]").get_attribute("href")
    match = re.fullmatch(r"/media/(\d+)/", href or "")
    assert match, href
    return AvRecord.objects.select_related("blob").get(pk=int(match.group(1)))


def assert_stored(record: AvRecord, path: Path) -> None:
    sha256, sm3 = digests(path)
    assert (record.blob.sha256, record.blob.sm3, record.blob.size) == (
        sha256,
        sm3,
        path.stat().st_size,
    )


def offset_of(request: Request) -> int:
    return int(request.headers.get("upload-offset", "0"))


def test_officer_upload_survives_a_network_drop(
    tablet_page: Page, officer_wang, unit_a, tmp_path: Path
) -> None:
    """R15.1 on a tablet: 200 MB, the network drops after 30 %, comes back, the upload
    continues by itself from the server's offset and the digests are right."""
    recorder = device_actions.enrol_device(SYSTEM, serial="DSJ0001", kind="recorder", unit=unit_a)
    # Taken an hour ago: the capture time the page sends has whole minutes at best, so a
    # checkout "now" could come after it.
    device_actions.check_out(
        SYSTEM, recorder, holder=officer_wang, at=timezone.now() - dt.timedelta(hours=1)
    )
    path = random_file(tmp_path / "DSJ0001_20240501093000_0001.dat", 200 * 1000 * 1000)
    size = path.stat().st_size
    page = login(tablet_page, "officer_wang", next_url="/media/upload/")
    dropped: list[int] = []

    def drop_network(route: Route, request: Request) -> None:
        if not dropped and request.method == "PATCH" and offset_of(request) >= size * 0.3:
            dropped.append(offset_of(request))
            page.context.set_offline(True)
            route.abort("internetdisconnected")
            return
        route.continue_()

    page.route(UPLOADS, drop_network)
    page.set_input_files("[data-testid=upload-files]", str(path))
    item = page.locator("[data-testid=upload-item]")
    # The recorder the officer holds is the default; the capture time comes from the file.
    expect(item.locator("[data-testid=upload-device]")).to_have_value("DSJ0001")
    expect(item.locator("[data-testid=upload-captured-at]")).not_to_have_value("")
    item.locator("[data-testid=upload-start]").tap()

    expect(item).to_have_attribute("data-state", "offline", timeout=120_000)
    expect(item.locator("[data-testid=upload-status]")).to_have_text(
        zh("The network is down. The upload continues by itself when it is back.")
    )
    page.unroute(UPLOADS)  # the rest at full speed: interception slows large bodies
    page.context.set_offline(False)
    expect(item).to_have_attribute("data-state", "done", timeout=300_000)

    # It went on from what the server had (HEAD), not from the start.
    resumed_from = int(item.get_attribute("data-resumed-from") or "0")
    assert resumed_from >= dropped[0] >= size * 0.3
    expect(item.locator("[data-testid=upload-speed]")).to_contain_text("MB/s")
    record = record_of(item)
    assert_stored(record, path)
    assert record.device == recorder and record.officer == officer_wang
    assert record.uploaded_by == officer_wang and record.source == AvSource.UPLOAD
    assert record.original_name == path.name
    assert record.captured_at is not None
    assert abs(record.captured_at - timezone.now()) < dt.timedelta(minutes=10)


def test_reload_mid_upload_continues_from_the_server_offset(
    page: Page, officer_wang, unit_a, tmp_path: Path
) -> None:
    """The page is reloaded after the first chunk; choosing the same file again sends
    only the rest, to the same upload."""
    path = random_file(tmp_path / "patrol.dat", 2 * CHUNK_SIZE + 5 * MB)
    size = path.stat().st_size
    login(page, "officer_wang", next_url="/media/upload/")

    def first_chunk_only(route: Route, request: Request) -> None:
        if request.method == "PATCH" and offset_of(request) > 0:
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(UPLOADS, first_chunk_only)
    page.set_input_files("[data-testid=upload-files]", str(path))
    item = page.locator("[data-testid=upload-item]")
    item.locator("[data-testid=upload-late-reason]").select_option("remote_area")
    item.locator("[data-testid=upload-late-reason-text]").fill("山区无信号，次日返回")
    captured = item.locator("[data-testid=upload-captured-at]").input_value()
    item.locator("[data-testid=upload-start]").click()
    expect(item).to_have_attribute("data-offset", str(CHUNK_SIZE), timeout=60_000)

    page.reload()
    page.unroute(UPLOADS)
    expect(page.locator("[data-testid=unfinished-upload]")).to_contain_text("patrol.dat")
    sent: list[Request] = []
    page.on("request", lambda r: sent.append(r) if "/api/v1/uploads/" in r.url else None)
    page.set_input_files("[data-testid=upload-files]", str(path))
    item = page.locator("[data-testid=upload-item]")
    # What the server has already: the same fields, not to be changed now.
    expect(item).to_have_attribute("data-resumable", "true")
    expect(item.locator("[data-testid=upload-late-reason]")).to_have_value("remote_area")
    expect(item.locator("[data-testid=upload-late-reason]")).to_be_disabled()
    expect(item.locator("[data-testid=upload-captured-at]")).to_have_value(captured)
    item.locator("[data-testid=upload-start]").click()
    expect(item).to_have_attribute("data-state", "done", timeout=60_000)

    assert item.get_attribute("data-resumed-from") == str(CHUNK_SIZE)
    patches = [r for r in sent if r.method == "PATCH"]
    assert [r.method for r in sent if r.method == "POST"] == []
    assert offset_of(patches[0]) == CHUNK_SIZE
    assert size - offset_of(patches[0]) < size  # only the rest was sent again
    assert TusUpload.objects.count() == 1
    record = record_of(item)
    assert_stored(record, path)
    assert (record.late_reason, record.late_reason_text) == ("remote_area", "山区无信号，次日返回")
    expect(page.locator("[data-testid=unfinished]")).to_be_hidden()


def test_third_party_material_with_provenance_pause_and_refusals(
    page: Page, officer_wang, tmp_path: Path
) -> None:
    """R17.1: provider, channel and time obtained are required and kept on the record,
    which is marked third-party. Pause / Resume; a refusal is explained."""
    path = random_file(tmp_path / "监控录像.mp4", CHUNK_SIZE + 3 * MB)
    login(page, "officer_wang", next_url="/media/third-party/")
    page.set_input_files("[data-testid=upload-files]", str(path))
    item = page.locator("[data-testid=upload-item]")
    item.locator("[data-testid=upload-start]").click()
    errors = item.locator("[data-testid=upload-field-error]")
    expect(errors).to_have_count(3)
    expect(errors.first).to_have_text(zh("This field is required."))
    expect(item).to_have_attribute("data-state", "pending")

    item.locator("[data-testid=upload-provider]").fill("养殖户李某")
    item.locator("[data-testid=upload-channel]").fill("当事人现场提供U盘拷贝")
    item.locator("[data-testid=upload-obtained-at]").fill("2024-05-01T09:30:00")

    # The server refuses the upload: the page says why and lets the user try again.
    page.route(
        UPLOADS,
        lambda route, request: (
            route.fulfill(status=413, body="") if request.method == "POST" else route.continue_()
        ),
    )
    item.locator("[data-testid=upload-start]").click()
    expect(item.locator("[data-testid=upload-error]")).to_have_text(
        zh("The file is larger than the server accepts.")
    )
    page.unroute(UPLOADS)
    page.route(
        UPLOADS,
        lambda route, request: (
            route.fulfill(status=400, body="来源不明的资料不能上传。")
            if request.method == "POST"
            else route.continue_()
        ),
    )
    item.locator("[data-testid=upload-start]").click()
    expect(item.locator("[data-testid=upload-error]")).to_have_text("来源不明的资料不能上传。")
    expect(item).to_have_attribute("data-state", "pending")
    page.unroute(UPLOADS)

    # Hold the second chunk back until paused, then resume.
    hold = [True]

    def hold_second_chunk(route: Route, request: Request) -> None:
        if hold[0] and request.method == "PATCH" and offset_of(request) > 0:
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(UPLOADS, hold_second_chunk)
    item.locator("[data-testid=upload-start]").click()
    expect(item).to_have_attribute("data-offset", str(CHUNK_SIZE), timeout=60_000)
    item.locator("[data-testid=upload-pause]").click()
    expect(item).to_have_attribute("data-state", "paused")
    expect(item.locator("[data-testid=upload-resume]")).to_be_visible()
    hold[0] = False
    item.locator("[data-testid=upload-resume]").click()
    expect(item).to_have_attribute("data-state", "done", timeout=60_000)
    assert item.get_attribute("data-resumed-from") == str(CHUNK_SIZE)

    record = record_of(item)
    assert_stored(record, path)
    obtained = page.evaluate("new Date('2024-05-01T09:30:00').toISOString()")
    assert record.source == AvSource.THIRD_PARTY and record.is_third_party
    assert (record.provider, record.channel) == ("养殖户李某", "当事人现场提供U盘拷贝")
    assert record.obtained_at == dt.datetime.fromisoformat(obtained.replace("Z", "+00:00"))
    assert record.original_name == "监控录像.mp4" and record.uploaded_by == officer_wang
    assert record.device is None


def test_upload_all_one_after_the_other_and_cancel(
    page: Page, officer_wang, tmp_path: Path
) -> None:
    """The "Upload all" button sends the files one after the other; cancelling one
    discards what the server received (tus termination) and the next one starts."""
    first = random_file(tmp_path / "a.dat", CHUNK_SIZE + MB)
    second = random_file(tmp_path / "b.dat", MB)
    login(page, "officer_wang", next_url="/media/upload/")
    page.route(
        UPLOADS,
        lambda route, request: (
            route.abort("connectionreset")
            if request.method == "PATCH" and offset_of(request) > 0
            else route.continue_()
        ),
    )
    page.set_input_files("[data-testid=upload-files]", [str(first), str(second)])
    items = page.locator("[data-testid=upload-item]")
    expect(items).to_have_count(2)
    page.locator("[data-testid=upload-all]").click()
    expect(items.nth(0)).to_have_attribute("data-offset", str(CHUNK_SIZE), timeout=60_000)
    expect(items.nth(1)).to_have_attribute("data-state", "pending")
    assert TusUpload.objects.count() == 1

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_response(lambda r: r.request.method == "DELETE") as deleted:
        items.nth(0).locator("[data-testid=upload-cancel]").click()
    assert deleted.value.status == 204
    expect(items.nth(0)).to_have_attribute("data-state", "cancelled")
    expect(items.nth(1)).to_have_attribute("data-state", "done", timeout=60_000)
    record = record_of(items.nth(1))
    assert_stored(record, second)
    assert list(AvRecord.objects.values_list("original_name", flat=True)) == ["b.dat"]
    assert list(TusUpload.objects.values_list("record", flat=True)) == [record.pk]
