"""Browser (R18.1, R18.2): the archivist finds the closed case in the list awaiting
archiving, assembles its file, moves an entry, writes a remark and the note 备考表, confirms
the retention the rules suggest and archives it; the case page then shows the 档号. The
archive package built on archiving holds the bound file and its catalogue, passes the
independent OCFL validator and ``verify_package``, and any change to it is named."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from liuhen.archives.actions.package import export_archive_packages
from liuhen.archives.models import ArchivePackage, CaseFile
from liuhen.media.actions import curation
from tests.archives.package.package_helpers import CLIP, bureau_key_id, ocfl_check, run_checker
from tests.e2e.helpers import login
from tests.fixtures.documents import ORDER_VALUES, issue_form
from tests.fixtures.media import ingest_bytes

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
# still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("signing_key_file"),
]


def test_the_archivist_reviews_and_archives_a_case_file(
    live_server,
    tablet_page: Page,
    installed_seal,
    decided_case,
    officer_wang,
    archivist_wu,
    tmp_path: Path,
) -> None:
    issue_form(officer_wang, decided_case, "rectification_order", **ORDER_VALUES)
    issue_form(
        officer_wang, decided_case, "penalty_decision", statement="当事人未提出陈述、申辩意见。"
    )
    clip = ingest_bytes(officer_wang, CLIP, "执法记录仪-0001.mp4")
    curation.link(officer_wang, clip, case=decided_case, evidence=True)
    decided_case.closed_at = timezone.now() - dt.timedelta(days=3)
    decided_case.closing_condition = "executed"
    decided_case.save(update_fields=["closed_at", "closing_condition"])

    page = tablet_page
    login(page, "archivist_wu", next_url="/archives/")
    expect(page.locator("h1")).to_have_text("待归档的已结案件")
    row = page.locator(f"[data-case='{decided_case.pk}']")
    expect(row).to_contain_text(decided_case.number)
    expect(row).to_contain_text("未组卷")
    row.get_by_role("link", name="审核").click()

    page.get_by_test_id("assemble").click()
    expect(page.locator(".alert-success")).to_contain_text("案卷已组卷并装订")
    catalogue = page.get_by_test_id("catalogue")
    expect(catalogue.locator("tbody tr").first).to_contain_text("行政处罚决定书")
    second_title = catalogue.locator("tbody tr").nth(1).locator("td").nth(2).inner_text()
    page.get_by_test_id("up-2").click()
    expect(catalogue.locator("tbody tr").first).to_contain_text(second_title.split()[0])
    page.get_by_test_id("remarks-1").fill("原件存执法大队")
    page.get_by_test_id("save-remarks-1").click()
    expect(page.get_by_test_id("remarks-1")).to_have_value("原件存执法大队")
    page.get_by_label("备考表").fill("本卷材料齐全，视听资料另存数据包。")
    page.get_by_test_id("save-note").click()

    form = page.get_by_test_id("archive-form")
    expect(page.get_by_text("按规则建议：永久")).to_be_visible()
    expect(form.get_by_label("保管期限")).to_have_value("permanent")
    page.get_by_test_id("archive").click()
    expect(page.get_by_test_id("archived")).to_be_visible()
    case_file = CaseFile.objects.get(case=decided_case)
    year = timezone.localdate().year
    assert case_file.archive_number == f"001-{year}-Y-0001"
    expect(page.get_by_test_id("archive-number")).to_have_text(case_file.archive_number)
    expect(page.get_by_test_id("package")).to_contain_text("档案包")
    expect(page.get_by_test_id("catalogue").locator("tbody tr").first).to_contain_text(
        "原件存执法大队"
    )

    page.goto(f"/cases/{decided_case.pk}/")
    expect(page.get_by_test_id("case-file-section")).to_contain_text(case_file.archive_number)
    page.goto("/archives/")
    expect(page.locator(f"[data-case='{decided_case.pk}']")).to_have_count(0)

    _check_the_package(archivist_wu, decided_case, case_file, tmp_path)


def _content(folder: Path, pattern: str) -> Path:
    [found] = sorted((folder / "v1" / "content").glob(pattern))
    return found


def _named_failure(folder: Path, expected: str) -> None:
    done = run_checker(folder, "--key-id", bureau_key_id())
    assert done.returncode == 1, done.stdout
    assert expected in done.stdout, done.stdout


def _check_the_package(archivist, case, case_file: CaseFile, tmp_path: Path) -> None:
    case.refresh_from_db()
    package = ArchivePackage.objects.get(case=case)
    [exported] = export_archive_packages(archivist, [case], tmp_path / "transfer")
    folder = exported.folder
    assert exported.package == package
    assert ocfl_check(folder) == (True, {"E056b"})
    done = run_checker(folder, "--key-id", bureau_key_id())
    assert done.returncode == 0, done.stdout + done.stderr

    manifest = json.loads(_content(folder, "package.json").read_text())
    casefile = [item for item in manifest["items"] if item["kind"] == "casefile"]
    assert [item["title"] for item in casefile] == ["案卷（装订本）", "卷内目录"]
    bound = _content(folder, f"casefile/001-*/{case_file.archive_number}.pdf")
    assert casefile[0]["sealed"] == [bound.relative_to(folder / "v1" / "content").as_posix()]
    assert bound.read_bytes().startswith(b"%PDF-")
    catalogue = json.loads(_content(folder, "casefile/002-*/catalogue.json").read_text())
    assert catalogue["档号"] == case_file.archive_number
    [av_line] = [line for line in catalogue["卷内目录"] if "存放位置" in line]
    # The catalogue names where the AV file lies, and it lies there.
    assert (folder / "v1" / "content" / av_line["存放位置"]).is_file()
    assert av_line["SHA-256"] == manifest["files"][av_line["存放位置"]]["sha256"]

    for tamper, expected in _tamperings(folder):
        copy = tmp_path / f"tampered-{expected.split(':')[0].replace('/', '_')}"
        shutil.copytree(folder, copy)
        changed = tamper(copy)
        _named_failure(copy, f"{changed}: {expected.split(': ', 1)[1]}")


def _tamperings(folder: Path):
    def flip_bound(root: Path) -> str:
        path = _content(root, "casefile/001-*/*.pdf")
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x01
        path.write_bytes(bytes(data))
        return path.relative_to(root).as_posix()

    def delete_clip(root: Path) -> str:
        path = _content(root, "av/*/执法记录仪-0001.mp4")
        path.unlink()
        return path.relative_to(root).as_posix()

    def edit_catalogue_metadata(root: Path) -> str:
        path = _content(root, "casefile/002-*/metadata.xml")
        path.write_text(path.read_text().replace("<题名>卷内目录", "<题名>改过的目录"))
        return path.relative_to(root).as_posix()

    return [
        (flip_bound, "bound: was changed"),
        (delete_clip, "clip: is missing"),
        (edit_catalogue_metadata, "metadata: was changed"),
    ]
