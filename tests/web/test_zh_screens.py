"""A clean zh-Hans screen (R1.1, R2.1): no internal requirement ids ("R8.1"), no English
codes ("system", "lead_check", "simulator"), no server paths; menu entries and buttons only
for those who may use them, and a refusal that says why and whom to ask."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.test import Client

from liuhen.cases.actions.registration import create_case
from liuhen.core.audit import SYSTEM
from tests.factories import sign_in
from tests.scenarios.crawl import REQUIREMENT_ID, english_in, read

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "liuhen"


def visible(html: str) -> list[str]:
    return read(html).texts


def test_no_translation_shows_a_requirement_id() -> None:
    found = [
        f"{po.relative_to(SRC)}: {entry.msgstr}"
        for po in SRC.glob("*/locale/zh_Hans/LC_MESSAGES/django.po")
        for entry in polib.pofile(str(po))
        if not entry.obsolete and REQUIREMENT_ID.search(entry.msgstr)
    ]
    assert not found, "\n".join(found)


def test_no_template_shows_a_requirement_id() -> None:
    # Comments and ids turned into words by the basis filter are not on screen.
    unseen = re.compile(r"\{#.*?#\}|\"R[\d.]+\"\|basis", re.S)
    found = [
        str(path.relative_to(SRC))
        for path in SRC.glob("*/templates/**/*.html")
        if REQUIREMENT_ID.search(unseen.sub("", path.read_text()))
    ]
    assert not found


# --- the case page ----------------------------------------------------------------------


def test_blockers_and_findings_cite_their_basis_not_an_id(
    client: Client, case_in_decision, officer_wang
) -> None:
    sign_in(client, officer_wang)
    html = client.get(f"/cases/{case_in_decision.pk}/").content.decode()
    texts = visible(html)
    assert not [t for t in texts if REQUIREMENT_ID.search(t)]
    assert "（依据：制度第八条）" in texts  # the advance notice is missing (R8.1)
    assert "（依据：《中华人民共和国行政处罚法》第59条）" in texts  # no decision yet
    assert 'data-testid="finding-basis">依据：制度第八条<' in html


def test_the_timeline_says_system_in_chinese(client: Client, unit_a, officer_wang) -> None:
    case = create_case(
        SYSTEM,
        number="洼农（农药）立〔2026〕9号",
        title="演示案",
        unit=unit_a,
        officers=[officer_wang],
    )
    sign_in(client, officer_wang)
    texts = visible(client.get(f"/cases/{case.pk}/").content.decode())
    assert "system" not in texts and "系统" in texts


def test_the_audit_log_names_actors_and_objects_in_words(
    client: Client, unit_a, officer_wang, auditor_chen
) -> None:
    case = create_case(
        SYSTEM,
        number="洼农（农药）立〔2026〕9号",
        title="演示案",
        unit=unit_a,
        officers=[officer_wang],
    )
    sign_in(client, auditor_chen)
    texts = visible(client.get("/audit/").content.decode())
    assert "系统" in texts and "system" not in texts
    assert f"案件 #{case.pk}" in texts and f"cases.case #{case.pk}" not in texts
    assert not [t for t in texts if english_in(t)]


# --- configuration pages ------------------------------------------------------------------


def test_the_rules_pages_show_names_not_keys_or_codes(client: Client, sysadmin_zhao) -> None:
    sign_in(client, sysadmin_zhao)
    texts = visible(client.get("/config/rules/").content.decode())
    assert "lead_check" not in texts
    assert not [t for t in texts if english_in(t)], [t for t in texts if english_in(t)]
    av_rule = visible(client.get("/config/rules/av_required_activity_types/").content.decode())
    assert not [t for t in av_rule if english_in(t)]
    assert any("现场执法" in t and "公告送达" in t for t in av_rule)
    choice = client.get("/config/rules/decision_deadline_applies/").content.decode()
    assert ">decision_deadline<" not in choice and not [t for t in visible(choice) if english_in(t)]


def test_the_form_pages_mark_codes_as_codes(client: Client, sysadmin_zhao) -> None:
    sign_in(client, sysadmin_zhao)
    for url in (
        "/documents/forms/",
        "/documents/forms/standard/filing_approval/",
        "/documents/forms/new/",
    ):
        texts = visible(client.get(url).content.decode())
        assert not [t for t in texts if english_in(t) or REQUIREMENT_ID.search(t)], url


# --- who sees which button, and what a refusal says ----------------------------------------


def test_only_approvers_see_the_approvals_button(client: Client, officer_wang, head_zhang) -> None:
    sign_in(client, officer_wang)
    assert 'data-testid="to-approvals"' not in client.get("/cases/").content.decode()
    assert client.get("/cases/approvals/").status_code == 403
    sign_in(client, head_zhang)
    assert 'data-testid="to-approvals"' in client.get("/cases/").content.decode()


def test_the_unit_deadlines_page_links_own_deadlines_only_to_who_has_them(
    client: Client, agency_head_liu, head_zhang
) -> None:
    sign_in(client, agency_head_liu)
    response = client.get("/deadlines/unit/")
    assert response.status_code == 200
    assert 'href="/deadlines/"' not in response.content.decode()
    assert client.get("/deadlines/").status_code == 403
    sign_in(client, head_zhang)
    assert 'data-testid="mine-link"' in client.get("/deadlines/unit/").content.decode()


def test_a_refusal_says_what_was_refused_and_whom_to_ask(client: Client, officer_wang) -> None:
    sign_in(client, officer_wang)
    response = client.get("/cases/approvals/")
    html = response.content.decode()
    assert response.status_code == 403
    assert 'data-testid="refused-permission">被拒绝的操作：查看待审批事项。<' in html
    assert "执法科室负责人或局负责人" in html and "档案管理员" in html
    assert "approval.list" not in html
