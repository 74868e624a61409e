"""The UI shell: home per role, navigation, languages, error pages and security headers."""

from __future__ import annotations

import logging
import re

import pytest
from django.test import Client

from liuhen.core import access
from tests.factories import CaseFactory, sign_in

pytestmark = pytest.mark.django_db


def _nav_keys(html: str) -> set[str]:
    return set(re.findall(r'data-nav="([^"]+)"', html))


def _stat(html: str, key: str) -> str:
    match = re.search(
        rf'data-stat="{key}">\s*<div class="card-body">\s*<div class="stat-number">([^<]+)<', html
    )
    assert match, f"stat {key} not on the page"
    return match.group(1)


def test_home_needs_login(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_officer_home_shows_real_counts_in_chinese(
    client: Client, officer_wang, officer_li, unit_a, unit_b
) -> None:
    CaseFactory(unit=unit_a, officers=[officer_wang])
    CaseFactory(unit=unit_a)
    CaseFactory(unit=unit_b, officers=[officer_li])
    client.force_login(officer_wang)
    html = client.get("/").content.decode()
    assert "您好，王明" in html
    assert _stat(html, "cases-visible") == "2"  # unit B's case is not counted
    assert _stat(html, "cases-mine") == "1"
    assert _nav_keys(html) == {
        "home",
        "cases",
        "leads",
        "deadlines",
        "subjects",
        "media",
        "upload",
        "devices",
        "delivery",
        "retrieval",
        "profile",
    }


def test_case_register_lists_only_visible_cases(
    client: Client, officer_wang, unit_a, unit_b
) -> None:
    mine = CaseFactory(unit=unit_a, title="本科室案件")
    CaseFactory(unit=unit_b, title="其他科室案件")
    client.force_login(officer_wang)
    html = client.get("/cases/").content.decode()
    assert mine.title in html
    assert "其他科室案件" not in html
    assert "共 1 件案件" in html
    partial = client.get("/cases/?q=本科室", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and mine.title in partial


def test_case_register_is_denied_to_the_audit_admin(client: Client, auditor_chen) -> None:
    client.force_login(auditor_chen)
    response = client.get("/cases/")
    assert response.status_code in (302, 403)  # 2FA step first, and no case access after it


def test_english_switch_sets_the_language(client: Client, officer_wang) -> None:
    client.force_login(officer_wang)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert "Welcome, 王明" in html
    assert 'lang="en"' in html


def test_default_language_ignores_browser_locale(client: Client, officer_wang) -> None:
    client.force_login(officer_wang)
    html = client.get("/", headers={"Accept-Language": "en-US,en"}).content.decode()
    assert "您好" in html and 'lang="zh-CN"' in html


@pytest.mark.parametrize(("cookie", "text"), [(None, "页面不存在"), ("en", "Page not found")])
def test_404_page_in_both_languages(client: Client, cookie: str | None, text: str) -> None:
    if cookie:
        client.cookies["liuhen_language"] = cookie
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert text in response.content.decode()


@pytest.mark.urls("tests.web.boom_urls")
def test_500_page_shows_an_incident_id_that_is_in_the_log(caplog: pytest.LogCaptureFixture) -> None:
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="liuhen.incident"):
        response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    incident = re.search(r'data-testid="incident-id">([0-9a-f]{12})<', html)
    assert incident, html
    assert "服务器错误" in html
    assert any(incident.group(1) in record.getMessage() for record in caplog.records)


def test_a_refusal_is_answered_not_logged_as_an_incident(
    client: Client, caplog: pytest.LogCaptureFixture, officer_wang, officer_li
) -> None:
    sign_in(client, officer_wang)
    with caplog.at_level(logging.ERROR, logger="liuhen.incident"):
        assert client.get(f"/accounts/users/{officer_li.pk}/").status_code == 404
        assert client.get("/audit/").status_code == 403
    assert not caplog.records


def test_strict_content_security_policy(client: Client) -> None:
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"


def test_no_inline_scripts_or_styles_in_templates() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "src" / "liuhen"
    offenders = []
    for template in root.glob("*/templates/**/*.html"):
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(
            r"<style|\sstyle=\"", text
        ):
            offenders.append(str(template.relative_to(root)))
        if re.search(r"\son[a-z]+=\"", text):
            offenders.append(str(template.relative_to(root)))
    assert not offenders


def test_static_assets_are_served_locally(client: Client) -> None:
    for path in ("/static/vendor/bootstrap/bootstrap.min.css", "/static/vendor/htmx/htmx.min.js"):
        response = client.get(path)
        assert response.status_code == 200, path


def test_system_admin_home_counts_accounts_and_units(
    client: Client, sysadmin_zhao, officer_wang, unit_a
) -> None:
    sign_in(client, sysadmin_zhao)
    html = client.get("/").content.decode()
    assert _stat(html, "accounts-active") == "2"
    assert _stat(html, "units") == "1"
    assert "cases-visible" not in html  # 三员: no case data for the system admin
    assert _nav_keys(html) == {
        "home",
        "users",
        "units",
        "rules",
        "calendar",
        "numbering",
        "forms",
        "profile",
    }


def test_security_admin_home_counts_locked_accounts(
    client: Client, secadmin_qian, officer_wang
) -> None:
    from django.utils import timezone

    officer_wang.locked_until = timezone.now() + timezone.timedelta(minutes=10)
    officer_wang.save()
    sign_in(client, secadmin_qian)
    html = client.get("/").content.decode()
    assert _stat(html, "accounts-locked") == "1"
    assert _stat(html, "accounts-without-2fa") == "1"  # officer_wang; the admin has enrolled
    assert _nav_keys(html) == {"home", "users", "security", "seal", "integrity", "profile"}


def test_audit_admin_home_counts_events(client: Client, auditor_chen, officer_li, unit_a) -> None:
    case = CaseFactory(unit=unit_a)
    with pytest.raises(access.AccessDenied):
        access.require(officer_li, "case.view", case)
    sign_in(client, auditor_chen)
    html = client.get("/").content.decode()
    assert int(_stat(html, "audit-events")) >= 1
    assert _stat(html, "audit-denied-24h") == "1"
    assert _nav_keys(html) == {"home", "audit", "audit-status", "profile"}


def test_signed_in_pages_and_api_answers_are_never_stored(client: Client, officer_wang) -> None:
    # Tablets are shared: a browser or proxy must not keep what one officer was shown.
    from tests.fixtures.api import API, bearer, token_for

    login_page = client.get("/accounts/login/")
    case = CaseFactory(officers=[officer_wang])
    sign_in(client, officer_wang)
    answers = {
        "home": client.get("/"),
        "case": client.get(f"/cases/{case.pk}/"),
        "refused": client.get("/audit/"),
        "api": Client().get(f"{API}/cases", headers=bearer(token_for(officer_wang))),
        "api anonymous": Client().get(f"{API}/cases"),
    }
    for name, response in answers.items():
        assert "no-store" in response.get("Cache-Control", ""), name
    assert "no-store" in login_page.get("Cache-Control", "")
    static = Client().get("/static/web/liuhen.css")
    assert static.status_code == 200 and "no-store" not in static.get("Cache-Control", "")


@pytest.mark.parametrize(
    "url",
    ["/verify/%00/", "/pay/%00/", "/cases/?q=%00", "/media/?q=a%00b", "/api/v1/cases?q=%00"],
)
def test_a_nul_in_a_path_or_query_is_a_clear_400(client: Client, officer_wang, url: str) -> None:
    # PostgreSQL refuses NUL in any query: it must never reach one (and never be a 500).
    sign_in(client, officer_wang)
    response = client.get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.json()["error"]["code"] == "bad_request"
    else:
        assert "U+0000" in response.content.decode() and "控制字符" in response.content.decode()


def test_a_nul_in_a_posted_form_is_a_clear_400(client: Client) -> None:
    response = client.post("/accounts/login/", {"username": "a\x00b", "password": "x"})
    assert response.status_code == 400
