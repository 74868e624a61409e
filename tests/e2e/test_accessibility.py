"""The house rule: every page a person reaches passes axe-core (WCAG 2.1 A/AA) with no serious
or critical violation. The browser fixtures check every page a browser test loads
(tests/fixtures/axe.py); here the check is shown biting on a bad page, counting a page once
per pattern and viewport, and passing the sign-in page."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.test import RequestFactory
from django.utils import translation
from playwright.sync_api import Browser, Route

from liuhen.web.middleware import database_unavailable
from tests.fixtures.axe import AxeAudit
from tests.fixtures.browser import open_page

pytestmark = pytest.mark.django_db(transaction=True)

# A page as it should not be: an image with no text, a field with no label, a button with no
# name, and grey on white (about 1.5:1).
BAD_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>坏页面</title></head>
<body><main>
  <h1>坏页面</h1>
  <img src="/static/none.png">
  <form><input type="text" name="q"><button type="submit"></button></form>
  <p style="color:#ddd;background:#fff">看不清的文字</p>
</main></body></html>"""


def serve_bad_page(route: Route) -> None:
    route.fulfill(status=200, content_type="text/html; charset=utf-8", body=BAD_PAGE)


def test_a_page_with_serious_violations_fails_the_test(browser: Browser, live_server) -> None:
    """A test that reaches a bad page fails at teardown, naming page, rule and element."""
    audit = AxeAudit()
    with (
        pytest.raises(pytest.fail.Exception) as failed,
        open_page(browser, live_server, 10_000, audit=audit) as page,
    ):
        page.route("**/bad-page/", serve_bad_page)
        page.goto("/bad-page/")
        # The page is sent as it loads: moving on at once loses nothing.
        page.goto("/accounts/login/")
    message = str(failed.value)
    for rule in ("image-alt", "label", "button-name", "color-contrast"):
        assert rule in message
    assert "/bad-page/" in message
    assert "img" in message
    assert "https://dequeuniversity.com/rules/axe/" in message
    assert {f.key.split(" @")[0] for f in audit.findings} == {"/bad-page/", "/accounts/login/"}
    assert audit.counts()["critical"] >= 2


def test_a_page_is_checked_once_per_pattern_and_viewport(browser: Browser, live_server) -> None:
    """Paths that differ only in numbers are one page; another viewport is another page."""
    audit = AxeAudit()
    with (
        pytest.raises(pytest.fail.Exception),
        open_page(browser, live_server, 10_000, audit=audit) as page,
    ):
        page.route("**/bad-page/*/", serve_bad_page)
        page.goto("/bad-page/1/")
        page.goto("/bad-page/2/")
        page.set_viewport_size({"width": 800, "height": 1280})
        page.goto("/bad-page/3/")
    assert sorted(f.key for f in audit.findings) == [
        "/bad-page/*/ @1280x720",
        "/bad-page/*/ @800x1280",
    ]


def test_the_sign_in_page_passes(browser: Browser, live_server) -> None:
    audit = AxeAudit()
    with open_page(browser, live_server, 10_000, audit=audit) as page:
        page.goto("/accounts/login/")
    assert [f.key for f in audit.findings] == ["/accounts/login/ @1280x720"]
    assert not [f.failing() for f in audit.findings if f.failing()]


def test_the_outage_page_passes(browser: Browser, live_server) -> None:
    """The 503 page shown while the database is away is a page a person reaches too; it is
    made here as the handler makes it and served at an address of the live server."""
    with translation.override("zh-hans"):
        outage = database_unavailable(RequestFactory().get("/cases/"), OperationalError("away"))
    assert outage.status_code == 503

    def serve_outage(route: Route) -> None:
        route.fulfill(status=503, content_type="text/html; charset=utf-8", body=outage.content)

    audit = AxeAudit()
    with open_page(browser, live_server, 10_000, audit=audit) as page:
        page.route("**/cases/", serve_outage)
        page.goto("/cases/")
        assert "数据库暂时无法访问" in page.inner_text("main")
    assert [f.key for f in audit.findings] == ["/cases/ @1280x720"]
    assert not [f.failing() for f in audit.findings if f.failing()]
