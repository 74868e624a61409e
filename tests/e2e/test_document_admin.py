"""Browser: an officer uploads a paper record's scan to the case (R3.2); the security
administrator installs the seal certificate (R18.2); the system administrator adds a bureau
form on 文书格式."""

from __future__ import annotations

from pathlib import Path

import pytest
import weasyprint
from playwright.sync_api import Page, expect

from liuhen.documents.models import FormDefinition, IssuedDocument, Origin, SealCertificate
from tests.e2e.helpers import login
from tests.fixtures.documents import DEMO_SEAL_PASSPHRASE

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("docs_storage")]


def test_an_officer_stores_a_paper_scan(
    tablet_page: Page, decided_case, officer_wang, tmp_path: Path
) -> None:
    scan = tmp_path / "询问笔录.pdf"
    scan.write_bytes(weasyprint.HTML(string="<p>询问笔录（手写）</p>").write_pdf())
    page = login(tablet_page, "officer_wang", next_url=f"/documents/scan/{decided_case.pk}/")
    form = page.get_by_test_id("scan-form")
    form.locator("select[name=form_code]").select_option("inquiry_transcript")
    form.locator("[name=issued_on]").fill("2026-09-01")
    form.locator("[name=note]").fill("现场手写笔录，当事人已签名")
    form.locator("input[type=file]").set_input_files(str(scan))
    page.get_by_test_id("scan-submit").click()
    expect(page.get_by_test_id("issued-title")).to_have_text("询问笔录")
    stored = IssuedDocument.objects.get(case=decided_case)
    assert stored.origin == Origin.PAPER


def test_the_security_admin_installs_the_seal(
    page: Page, secadmin_qian, demo_seal, tmp_path: Path
) -> None:
    p12, ca = tmp_path / "seal.p12", tmp_path / "ca.pem"
    p12.write_bytes(demo_seal.p12)
    ca.write_bytes(demo_seal.ca_cert_pem)
    login(page, "secadmin_qian", next_url="/documents/seal/")
    expect(page.get_by_test_id("seal-none")).to_be_visible()
    form = page.get_by_test_id("seal-form")
    form.locator("input[name=p12]").set_input_files(str(p12))
    form.locator("input[name=passphrase]").fill(DEMO_SEAL_PASSPHRASE)
    form.locator("input[name=ca_pem]").set_input_files(str(ca))
    form.locator("input[name=name]").fill("行政执法专用章")
    page.get_by_test_id("seal-install").click()
    expect(page.get_by_test_id("seal-name")).to_have_text("行政执法专用章")
    expect(page.get_by_test_id("seal-serial")).to_have_text(SealCertificate.objects.get().serial)


def test_the_system_admin_adds_a_bureau_form(page: Page, sysadmin_zhao) -> None:
    login(page, "sysadmin_zhao", next_url="/documents/forms/")
    page.get_by_test_id("form-create").click()
    form = page.get_by_test_id("bureau-form")
    form.locator("[name=code]").fill("quality_patrol_record")
    form.locator("[name=title]").fill("农产品质量安全巡查记录")
    form.locator("select[name=kind]").select_option("rec")
    form.locator("select[name=stage]").select_option("investigation")
    form.locator("[name=signers]").fill("当事人\n检查人")
    form.locator("[name=field_lines]").fill(
        "party_name|当事人|text|yes|party.name\nsite|检查地点|text|yes|"
    )
    page.get_by_test_id("form-save").click()
    page.wait_for_url("**/documents/forms/*/")
    row = FormDefinition.objects.get()
    assert row.title == "农产品质量安全巡查记录" and len(row.fields) == 2
    page.goto("/documents/forms/")
    expect(page.get_by_test_id("bureau-forms")).to_contain_text("农产品质量安全巡查记录")
