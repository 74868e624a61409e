"""Steps of the browser walk through a case with a hearing: logging in as each person with the
demo password, and the approvers' and reviewers' way in through 我的待办."""

from __future__ import annotations

import datetime as dt
import os
import re

from django.utils import timezone
from playwright.sync_api import Page, expect

from liuhen.web.demo import DEMO_PASSWORD
from tests.e2e.helpers import login

# Playwright's sync API runs an event loop in this thread; the test's own ORM reads stay
# synchronous and safe (as in tests/e2e/conftest.py).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def field(value: dt.datetime) -> str:
    """A datetime as a datetime-local input takes it, in the bureau's time."""
    return f"{timezone.localtime(value):%Y-%m-%dT%H:%M}"


def log_in_as(page: Page, username: str, next_url: str = "/") -> Page:
    """Whoever was logged in leaves; ``username`` logs in through the login page."""
    page.context.clear_cookies()
    return login(page, username, password=DEMO_PASSWORD, next_url=next_url)


def open_task(page: Page, username: str, case_number: str, kind: str) -> None:
    """``username`` logs in, opens 我的待办 from the navbar and clicks the ``kind`` task of
    the case."""
    log_in_as(page, username)
    page.get_by_test_id("tasks-badge").click()
    expect(page.locator("h1")).to_have_text("我的待办")
    task = page.get_by_test_id("task").filter(has_text=case_number).filter(has_text=kind)
    expect(task).to_have_count(1)
    task.get_by_test_id("task-link").click()
    page.wait_for_load_state()


def approve_from_tasks(page: Page, username: str, case_number: str, opinion: str) -> None:
    """The approver finds the approval in 我的待办 and signs it with ``opinion``."""
    open_task(page, username, case_number, "审批")
    card = page.locator("[data-testid^=approval-]").filter(has_text=case_number)
    expect(card).to_have_count(1)
    card.get_by_label("意见", exact=True).fill(opinion)
    card.get_by_role("button", name="同意", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("已签署")


def open_case(page: Page, username: str, case_pk: int) -> None:
    log_in_as(page, username, next_url=f"/cases/{case_pk}/")
    expect(page.get_by_test_id("case-title")).to_be_visible()


def new_document(page: Page, form_code: str, title: str) -> None:
    """From the case page, the officer drafts ``form_code`` with the documents picker."""
    section = page.locator("[data-section=documents]")
    section.scroll_into_view_if_needed()
    section.get_by_test_id("new-document-form").select_option(form_code)
    section.get_by_test_id("new-document-create").click()
    page.wait_for_url("**/documents/*/")
    expect(page.get_by_test_id("document-title")).to_have_text(title)


def issue_document(page: Page) -> None:
    """Issue the draft on screen (confirming the browser's question)."""
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("do-issue").click()
    refused = page.locator("[data-testid=form-error], [data-testid=field-error]")
    assert refused.count() == 0, refused.all_inner_texts()
    page.wait_for_url("**/documents/issued/*/")


def draw(page: Page, test_id: str) -> None:
    """One stroke across the signature pad ``test_id``."""
    pad = page.get_by_test_id(test_id)
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    assert box is not None
    points = [(0.1, 0.7), (0.3, 0.2), (0.5, 0.75), (0.7, 0.3)]
    at = [(box["x"] + x * box["width"], box["y"] + y * box["height"]) for x, y in points]
    page.mouse.move(*at[0])
    page.mouse.down()
    for x, y in at[1:]:
        page.mouse.move(x, y, steps=6)
    page.mouse.up()


def open_issued(page: Page, username: str, case_pk: int, title: str) -> None:
    """``username`` opens the case page and, in its documents, the issued ``title``."""
    open_case(page, username, case_pk)
    section = page.locator("[data-section=documents]")
    section.scroll_into_view_if_needed()
    section.get_by_role("link", name=title, exact=True).click()
    page.wait_for_url("**/documents/issued/*/")


def sign_my_line(page: Page, username: str, case_pk: int, title: str, role: str) -> None:
    """``username`` finds the issued ``title`` on the case page and signs the ``role`` line
    on the pad, as themselves."""
    open_issued(page, username, case_pk, title)
    page.get_by_test_id("sign-link").click()
    page.get_by_test_id("officer-role").select_option(role)
    draw(page, "officer-pad")
    page.get_by_test_id("officer-sign-pad").click()
    line = page.locator(f"[data-testid=officer-line][data-role={role}]")
    expect(line).not_to_contain_text("尚未签名")


def open_draft(page: Page, username: str, case_pk: int, title: str) -> None:
    """``username`` opens the draft ``title`` from the case page's documents."""
    open_case(page, username, case_pk)
    section = page.locator("[data-section=documents]")
    section.scroll_into_view_if_needed()
    section.get_by_role("link", name=title, exact=True).click()
    page.wait_for_url("**/documents/*/")


def serve_in_person(page: Page, recipient: str, place: str) -> None:
    """From the issued document on screen: direct service (R10.1) — the 送达回证 is drafted
    from the service form and issued, the recipient signs it on the tablet, and the service
    is recorded with that receipt."""
    page.get_by_test_id("record-service").click()
    page.wait_for_url("**/delivery/serve/*/")
    serve_url = page.url
    page.select_option("select[name=mode]", "direct")
    page.fill("input[name=recipient]", recipient)
    page.get_by_test_id("draft-receipt-direct").click()
    page.wait_for_url(re.compile(r"/documents/\d+/$"))
    expect(page.get_by_test_id("document-title")).to_have_text("送达回证")
    page.locator("#id_place").fill(place)
    issue_document(page)
    receipt_url = page.url
    page.get_by_test_id("sign-link").click()
    page.get_by_test_id("sign-name").fill(recipient)
    draw(page, "sign-pad")
    page.get_by_test_id("sign-submit").click()
    expect(page.get_by_test_id("signature-row")).to_contain_text(recipient, timeout=30_000)
    # The serving officer signs the 送达人 line on the pad, as himself.
    draw(page, "officer-pad")
    page.get_by_test_id("officer-sign-pad").click()
    finalise = page.get_by_test_id("finalise-submit")
    final = page.get_by_test_id("sign-final")
    expect(final.or_(finalise)).to_be_visible(timeout=30_000)
    if finalise.is_visible():  # a witness's line stays empty
        finalise.click()
    expect(final).to_be_visible(timeout=30_000)
    page.goto(receipt_url)
    page.get_by_test_id("serve-with-receipt").click()
    page.wait_for_url(serve_url)
    page.select_option("select[name=mode]", "direct")
    expect(page.get_by_test_id("receipt-step-direct")).to_have_attribute("data-state", "signed")
    page.locator("select[name=direct__receipt]").select_option(index=1)
    page.fill("input[name=recipient]", recipient)
    page.fill("input[name=address]", place)
    page.fill("input[name=served_at]", field(timezone.now()))
    page.get_by_test_id("service-save").click()
    page.wait_for_url("**/delivery/service/*/")
