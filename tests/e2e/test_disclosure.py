"""Browser (R12.1): the legal reviewer previews a decision against a natural person with
the name masked, publishes it, and the public pages at /disclosure/ show it masked — no
login, every page checked with axe; the reviewer then withdraws it after revocation and the
notice of withdrawal is public."""

from __future__ import annotations

import os

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from liuhen.disclosure.models import Publication
from tests.e2e.helpers import login
from tests.fixtures.disclosure import PERSON_NAME, PERSON_PHONE

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = (
    "/disclosure/",
    "/disclosure/units/",
    "/disclosure/bases/",
    "/disclosure/procedures/",
    "/disclosure/channels/",
    "/disclosure/annual/",
    "/disclosure/decisions/",
)


def test_the_reviewer_previews_the_mask_and_publishes(
    live_server, tablet_page: Page, decided_case_of_a_person, reviewer_sun
) -> None:
    case = decided_case_of_a_person
    page = tablet_page
    login(page, "reviewer_sun", next_url="/publications/")
    expect(page.locator("h1")).to_have_text("执法决定公示")
    row = page.locator(f"[data-case='{case.pk}']")
    expect(row).to_contain_text(case.decision.number)
    page.get_by_test_id(f"preview-{case.pk}").click()

    preview = page.get_by_test_id("masked-preview")
    expect(preview.get_by_test_id("pub-party")).to_have_text("张某某")
    expect(preview).not_to_contain_text(PERSON_NAME)
    expect(preview).not_to_contain_text(PERSON_PHONE)
    expect(page.get_by_test_id("original")).to_contain_text(PERSON_NAME)
    page.get_by_test_id("publish").click()
    expect(page.locator(".alert-success")).to_contain_text("决定已公示")
    row = Publication.objects.get()

    page.goto(f"/disclosure/decisions/{row.pk}/")
    expect(page.get_by_test_id("public-party")).to_have_text("张某某")
    expect(page.locator("main")).not_to_contain_text(PERSON_NAME)
    page.goto(f"/publications/{row.pk}/")

    form = page.get_by_test_id("form-withdraw")
    form.get_by_label("撤回或更正事由").select_option("revoked")
    form.get_by_label("事由发生日期").fill(timezone.localdate().isoformat())
    form.get_by_label("理由").fill("经行政复议，原处罚决定被撤销。")
    page.get_by_test_id("submit-withdraw").click()
    expect(page.locator(".alert-success")).to_contain_text("撤回说明已公开")
    notice = Publication.objects.get(kind="withdrawal")
    page.goto(f"/disclosure/decisions/{notice.pk}/")
    expect(page.get_by_test_id("withdrawal-notice")).to_contain_text("撤回")


def test_the_public_pages_read_without_login(
    live_server, tablet_page: Page, decided_case, reviewer_sun
) -> None:
    from liuhen.disclosure.actions import publishing

    row = publishing.publish_decision(reviewer_sun, decided_case.decision)
    page = tablet_page
    for path in PUBLIC_PAGES:
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
        expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    page.goto("/disclosure/decisions/")
    page.locator(f"[data-publication='{row.pk}'] a").click()
    expect(page.get_by_test_id("public-party")).to_have_text("丰收农资经营部")


def test_the_reviewer_edits_the_texts_published_beforehand(
    live_server, tablet_page: Page, reviewer_sun
) -> None:
    """事前公示 texts: saved twice from the staff page, each a new version in the history;
    the public pages show the latest."""
    page = tablet_page
    login(page, "reviewer_sun", next_url="/publications/")
    page.get_by_test_id("link-texts").click()
    expect(page.locator("h1")).to_have_text("事前公示内容")
    expect(page.get_by_test_id("text-versions")).to_contain_text("尚未保存任何版本")
    form = page.get_by_test_id("form-texts")
    form.get_by_label("监督投诉渠道").fill("监督电话：0427-6688001\n投诉举报：12316")
    form.get_by_label("普通程序流程图").fill("受理\n立案\n调查取证\n决定\n送达")
    page.get_by_test_id("submit-texts").click()
    expect(page.locator(".alert-success")).to_contain_text("内容已保存")
    page.get_by_test_id("form-texts").get_by_label("监督投诉渠道").fill("监督电话：0427-6688002")
    page.get_by_test_id("submit-texts").click()
    expect(page.locator(".alert-success")).to_contain_text("内容已保存")
    versions = page.get_by_test_id("text-versions")
    expect(versions.locator("details")).to_have_count(2)
    expect(versions).to_contain_text("当前公示")

    page.goto("/disclosure/channels/")
    expect(page.get_by_test_id("channels")).to_contain_text("0427-6688002")
    page.goto("/disclosure/procedures/")
    expect(page.get_by_test_id("flowchart").locator("li")).to_have_count(5)
    expect(page.get_by_test_id("flowchart")).to_contain_text("调查取证")
