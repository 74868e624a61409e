"""Steps of the browser scenarios of the simple procedure and of a refusal to sign: each one
done through the pages, by the person whose work it is, on the demo bureau `seed-demo`
makes. The database is only read, to find what a step made and to assert."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from liuhen.cases.models import ApprovalRequest
from liuhen.media import sample_media
from liuhen.media.models import AvRecord
from liuhen.web.demo import DEMO_PASSWORD
from tests.e2e.helpers import login
from tests.fixtures.browser import open_page

# Playwright's sync API runs an event loop in this thread; the ORM reads the test makes
# are still synchronous and safe (as in tests/e2e/conftest.py, which these files are not under).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def demo(transactional_db, live_server, settings) -> None:
    """The demo bureau, its people, cases, recorders and seal; nothing else is made. The
    background worker's tasks (probing an uploaded recording) run as they are queued, as
    the worker beside the server would run them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    call_command("seed_demo", verbosity=0)


@pytest.fixture(name="scenario_tablet")
def tablet_fixture(browser: Browser, live_server) -> Iterator[Page]:
    """A 10-inch tablet in landscape, touch and mouse, every page checked with axe-core; a
    long walk on a busy machine gets more time per step than a single-page test."""
    with open_page(
        browser,
        live_server,
        30_000,
        viewport={"width": 1280, "height": 800},
        is_mobile=True,
        has_touch=True,
    ) as page:
        yield page


def log_out(page: Page) -> None:
    if page.get_by_test_id("logout").count():
        page.get_by_test_id("logout").click()
        page.wait_for_load_state()


def log_in(page: Page, username: str, next_url: str = "/") -> Page:
    """Log in as a demo person (whoever was logged in leaves first)."""
    log_out(page)
    return login(page, username, password=DEMO_PASSWORD, next_url=next_url)


def check_out_recorder(page: Page, serial: str) -> None:
    """The officer takes the recorder from its cupboard before going out (R13.1)."""
    page.goto("/devices/")
    page.get_by_test_id("device-row").filter(has_text=serial).get_by_role("link").first.click()
    page.get_by_test_id("device-checkout").click()
    page.fill("input[name=condition]", "完好，电量满")
    page.get_by_test_id("checkout-save").click()
    expect(page.get_by_test_id("device-status")).to_have_text("已领取")


def upload_recording(page: Page, folder: Path, name: str, serial: str) -> AvRecord:
    """The officer uploads the recorder's file on the upload page (R15.1); the capture time
    is the file's own (its modification time, now)."""
    path = folder / name
    # A clip without a capture time inside: the recorder's clock is the file's.
    path.write_bytes(sample_media.make_mp4(seconds=4, created=None))
    page.goto("/media/upload/")
    page.set_input_files("[data-testid=upload-files]", str(path))
    item = page.get_by_test_id("upload-item")
    expect(item.get_by_test_id("upload-device")).to_have_value(serial)
    expect(item.get_by_test_id("upload-captured-at")).not_to_have_value("")
    item.get_by_test_id("upload-start").click()
    expect(item).to_have_attribute("data-state", "done", timeout=60_000)
    href = item.get_by_test_id("upload-record-link").get_attribute("href") or ""
    match = re.fullmatch(r"/media/(\d+)/", href)
    assert match, href
    return AvRecord.objects.get(pk=int(match.group(1)))


def link_as_evidence(page: Page, record: AvRecord, case_number: str) -> None:
    """On the record's page the officer confirms the suggested activity of the case (the
    officer was there when it was captured), as evidence (R16.1)."""
    page.goto(f"/media/{record.pk}/")
    suggestion = page.get_by_test_id("suggestion").filter(has_text=case_number)
    suggestion.get_by_label("作为证据").check()
    suggestion.get_by_test_id("confirm-suggestion").click()
    expect(page.get_by_test_id("link-row").filter(has_text=case_number)).to_have_count(1)


def approve_from_tasks(page: Page, username: str, asked: ApprovalRequest, opinion: str) -> None:
    """An approver logs in, finds the step in 我的待办 and approves it there (R7.1)."""
    log_in(page, username)
    page.get_by_test_id("tasks-badge").click()
    expect(page.locator("h1")).to_have_text("我的待办")
    task = page.get_by_test_id("task").filter(has_text=asked.case.number)
    expect(task).to_contain_text("审批")
    task.get_by_test_id("task-link").first.click()
    card = page.get_by_test_id(f"approval-{asked.pk}")
    card.get_by_label("意见", exact=True).fill(opinion)
    card.get_by_role("button", name="同意", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("已签署")


def draw(page: Page, pad: str = "sign-pad") -> None:
    """One stroke across the signature pad."""
    page.get_by_test_id(pad).scroll_into_view_if_needed()
    box = page.get_by_test_id(pad).bounding_box()
    assert box is not None
    points = [(0.1, 0.7), (0.3, 0.2), (0.5, 0.75), (0.8, 0.3)]
    at = [(box["x"] + x * box["width"], box["y"] + y * box["height"]) for x, y in points]
    page.mouse.move(*at[0])
    page.mouse.down()
    for x, y in at[1:]:
        page.mouse.move(x, y, steps=8)
    page.mouse.up()


def sign_officer_line(page: Page) -> None:
    """The logged-in officer signs their line of the document on the pad (R9.1)."""
    draw(page, "officer-pad")
    page.get_by_test_id("officer-sign-pad").click()
    page.wait_for_load_state()


def new_document(page: Page, case_pk: int, form_code: str) -> None:
    """The officer starts a document of the case from its form."""
    page.goto(f"/documents/new/{case_pk}/")
    page.get_by_test_id("new-document-form").select_option(form_code)
    page.get_by_test_id("new-document-create").click()


def issue(page: Page) -> None:
    """Issue the document on screen (the confirmation is accepted)."""
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("do-issue").click()
    page.wait_for_url(re.compile(r"/documents/issued/\d+/$"))


def settle() -> None:
    """A recorded time on the page has whole seconds: let the clock pass the last one."""
    time.sleep(1.1)
