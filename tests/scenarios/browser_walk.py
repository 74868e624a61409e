"""Steps a browser walk through a whole case shares: each person signs in with the demo
password as themselves, finds their step in 我的待办 and follows it; every page the walk
loads is watched for a server error (the axe check runs on each page by the ``open_page``
fixture itself)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, Response, expect

from liuhen.web.demo import DEMO_PASSWORD
from tests.e2e.helpers import login

# Where the strokes of a signature go on a pad: fractions of its width and height.
STROKE = [(0.1, 0.7), (0.2, 0.2), (0.3, 0.75), (0.42, 0.25), (0.6, 0.5), (0.8, 0.3)]


class ServerErrors:
    """Every response of 500 or above the page receives, by address."""

    def __init__(self, page: Page) -> None:
        self.seen: list[str] = []
        page.on("response", self._check)

    def _check(self, response: Response) -> None:
        if response.status >= 500:
            self.seen.append(f"{response.status} {response.request.method} {response.url}")


def as_person(page: Page, username: str, next_url: str = "/") -> Page:
    """Sign out whoever was signed in and sign in as ``username`` through the login page."""
    page.context.clear_cookies()
    return login(page, username, password=DEMO_PASSWORD, next_url=next_url)


def open_task(page: Page, subject: str, label: str = "") -> None:
    """From the navbar's 我的待办, follow the task about ``subject`` that says ``label``."""
    page.get_by_test_id("tasks-badge").click()
    expect(page.locator("h1")).to_have_text("我的待办")
    task = page.get_by_test_id("task").filter(has_text=subject).filter(has_text=label)
    expect(task).to_have_count(1)
    task.get_by_test_id("task-link").click()
    page.wait_for_load_state()


def approve_from_tasks(page: Page, username: str, subject: str, label: str, opinion: str) -> None:
    """``username`` signs in, finds the approval in 我的待办 and approves it there."""
    as_person(page, username)
    open_task(page, subject, label)
    card = page.get_by_test_id(page.url.split("#", 1)[1])  # the task links to its card
    card.get_by_label("意见", exact=True).fill(opinion)
    card.get_by_role("button", name="同意", exact=True).click()
    expect(page.get_by_role("alert").first).to_be_visible()


def draw(page: Page, test_id: str, points: list[tuple[float, float]] = STROKE) -> None:
    """One stroke through ``points`` on the signature pad ``test_id``."""
    pad = page.get_by_test_id(test_id)
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    assert box is not None
    at = [(box["x"] + x * box["width"], box["y"] + y * box["height"]) for x, y in points]
    page.mouse.move(*at[0])
    page.mouse.down()
    for x, y in at[1:]:
        page.mouse.move(x, y, steps=6)
    page.mouse.up()


def write_clip(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
