"""Every page each demo person can reach, crawled after ``liuhen seed-demo`` (R1.1, R4.3):
no server error, no link or button that refuses the person it is shown to, and a clean
zh-Hans screen — no internal requirement id ("R9.2") and no English left untranslated.

One person at a time signs in (the demo password and 2FA as the shell asks) and follows
every same-origin GET link and GET form from the home page, breadth first, once per URL
pattern (``/cases/1/`` and ``/cases/2/`` are one page); POST forms and the logout are not
followed.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from liuhen.accounts.models import User
from liuhen.web import demo
from tests.factories import sign_in
from tests.scenarios.crawl import crawl, english_in, read

pytestmark = pytest.mark.django_db

# Enough for every page pattern of the biggest role (the system administrator: ~110).
PAGE_CAP = 400


def test_every_page_each_demo_person_reaches_is_clean_chinese_and_open_to_them() -> None:
    call_command("seed_demo")
    report: list[str] = []
    login_names = frozenset(User.objects.values_list("username", flat=True))
    for username, _role in demo.DEMO_LOGINS:
        client = sign_in(Client(), User.objects.get(username=username))
        findings, visited = crawl(client, limit=PAGE_CAP, names=login_names)
        assert visited > 1, f"{username} reached no page beyond the home page"
        assert visited < PAGE_CAP, f"{username}: the crawl hit its cap; raise it"
        report += [f"{username}: {finding}" for finding in findings]
    assert not report, "\n".join(report)


# --- the crawl itself finds what it must -----------------------------------------------


def test_the_crawl_reads_visible_text_and_links_not_scripts_or_codes() -> None:
    page = read(
        '<a href="/cases/">案件</a><script>var system = 1;</script>'
        '<code>lead_check</code><span title="Requirement">R8.1</span>'
        '<form method="get" action="/search/"><button>查询</button></form>'
        '<form method="post" action="/cases/1/delete/"><button>删除</button></form>'
    )
    assert page.links == ["/cases/", "/search/"]
    assert "var system = 1;" not in page.texts and "lead_check" not in page.texts
    assert "R8.1" in page.texts and "Requirement" in page.texts


def test_english_ui_text_is_caught_and_codes_and_names_are_not() -> None:
    assert english_in("system") == ["system"]
    assert english_in("Approvals") == ["Approvals"]
    assert english_in("Current value") == ["Current", "value"]
    assert english_in("lead_check") != []
    assert english_in("执法记录仪 DSJ-V9") == []
    assert english_in("DSJ-DW-0001") == []
    assert english_in("92211104MA0Y8K3PXP") == []
    # A digest's letters are no words, even when they spell one ("add", "dead", "bed").
    assert english_in("b0d1a3f7748682a4d13e854654166ec54a3e5add3599ec47aed90d91559f9188") == []
    assert english_in("摘要 7dead0bed1") == []
    assert english_in("导出 CSV") == []
    assert english_in("演示.pdf") == []
    assert english_in("wangming", frozenset({"wangming"})) == []


def test_a_link_that_refuses_or_fails_is_a_finding(client, officer_wang) -> None:
    sign_in(client, officer_wang)
    findings, _visited = crawl(client, start="/config/rules/", limit=1)
    assert [f.problem for f in findings] == ["answers 403"]
