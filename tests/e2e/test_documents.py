"""Issue 5 §2 in the browser: on a tablet, an officer opens the case, picks 责令改正通知书,
fills it, previews it, issues it and downloads the sealed PDF, which names the party."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, Response
from pypdf import PdfReader

from liuhen.cases.models import Case
from liuhen.documents.models import IssuedDocument
from tests.e2e.helpers import login
from tests.fixtures.documents import (
    ORDER_VALUES,
    PARTY_NAME,
)

# The decided case of the document tests, with the demo seal installed.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("installed_seal")]


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def test_officer_fills_previews_issues_and_downloads_an_order(
    portrait_tablet: Page, decided_case: Case
) -> None:
    previews: list[Response] = []
    portrait_tablet.context.on(
        "response", lambda r: previews.append(r) if "/preview.pdf" in r.url else None
    )
    page = login(portrait_tablet, "officer_wang", next_url=f"/cases/{decided_case.pk}/")
    section = page.locator("[data-section=documents]")
    section.scroll_into_view_if_needed()
    section.locator("[data-testid=new-document-form]").select_option("rectification_order")
    section.locator("[data-testid=new-document-create]").tap()
    page.wait_for_url("**/documents/*/")
    assert page.locator("[data-testid=document-title]").inner_text() == "责令改正通知书"
    assert page.locator("#id_party_name").input_value() == PARTY_NAME  # from the case

    page.locator("#id_facts").fill(ORDER_VALUES["facts"])
    page.locator("#id_basis").fill(ORDER_VALUES["basis"])
    page.locator("#id_requirement").fill(ORDER_VALUES["requirement"])
    page.locator("#id_correct_by").fill(ORDER_VALUES["correct_by"])  # the date picker

    # Preview: saved, then the PDF opens in its own tab (the tablet's PDF viewer).
    with page.context.expect_page() as opened:
        page.locator("[data-testid=do-preview]").tap()
    opened.value.wait_for_load_state()
    page.wait_for_timeout(500)
    assert previews and previews[-1].status == 200
    opened.value.close()
    preview = page.request.get(previews[-1].url)  # what the tab got, with this session
    assert preview.headers["content-type"] == "application/pdf"
    assert preview.headers["content-disposition"].startswith("inline;")
    shown = _text(preview.body()).replace("\n", "")
    assert "草稿" in shown and "未取得农药登记证" in shown  # saved before the preview

    page.once("dialog", lambda dialog: dialog.accept())  # "Issue this document?"
    page.locator("[data-testid=do-issue]").tap()
    page.wait_for_url("**/documents/issued/*/")
    issued = IssuedDocument.objects.get(case=decided_case)
    assert page.locator("[data-testid=issued-number]").inner_text() == issued.number
    assert page.locator("[data-testid=sealed]").count() == 1

    with page.expect_download() as download:
        page.locator("[data-testid=download-current]").tap()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert download.value.suggested_filename.endswith(".pdf")
    text = _text(pdf).replace("\n", "")
    assert PARTY_NAME in text and "责令改正通知书" in text and issued.number in text
